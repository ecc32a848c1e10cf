import { withoutTrailingSlashes } from '../../../text/trim';
import type { RuleContext } from '../../contract/ruleContext';
import { isArgoSemverConstraint } from '../../rules/grammar';
import { parseVersion } from '../../semver';
import { HELM_DOCS } from './docs';

/**
 * A repoURL that names a Helm OCI repository the way Argo CD wants it: `registry[:port]/path`, no
 * scheme (argo-cd util/helm: IsHelmOciRepo is true for a URL without a scheme, and the repository
 * credential carries enableOCI). `oci://…` is Argo CD's own OCI source instead.
 */
export function helmOciRepository(repoURL: string): { host: string; path: string } | undefined {
  const match = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]+)?)\/([a-z0-9._/-]+)$/.exec(repoURL);
  if (!match || (!match[1].includes('.') && !match[1].includes(':') && match[1] !== 'localhost')) return undefined;
  return { host: match[1], path: withoutTrailingSlashes(match[6]) };
}

/**
 * Argo CD's Helm chart from an OCI registry (repoURL `registry/path` + chart + targetRevision): the
 * chart is required, its name carries no version, and targetRevision is a chart version or a semver
 * range (argo-cd util/versions/tags.go MaxVersion reads it; a tag such as latest is not a version).
 */
export function checkHelmOciSource(
  ctx: RuleContext,
  path: (string | number)[],
  where: string,
  source: { repoURL: string; chart?: string; revision?: string; hasChart: boolean; hasPath: boolean },
  multi: boolean,
): void {
  const { repoURL, chart, revision, hasChart, hasPath } = source;
  if (chart === undefined) {
    if (!hasChart && !hasPath && !(multi && ctx.has(...path, 'ref')))
      ctx.reportWhole(
        'ARGO012',
        'error',
        `${where}.repoURL "${repoURL}" names a Helm OCI repository (no scheme): set chart to the chart's name and targetRevision to its version; for an OCI artifact of manifests write oci://${repoURL} with path`,
        ctx.valueRange(...path, 'repoURL'),
        HELM_DOCS,
      );
    return;
  }
  if (/[:@]/.test(chart)) {
    ctx.report(
      'ARGO013',
      'error',
      `${where}.chart "${chart}" carries a version or digest; Argo CD takes only the chart's name there and the version in targetRevision`,
      ctx.valueRange(...path, 'chart'),
      HELM_DOCS,
    );
    return;
  }
  const last = withoutTrailingSlashes(repoURL).split('/').pop();
  if (last === chart)
    ctx.report(
      'ARGO014',
      'warning',
      `${where}.repoURL ends with the chart's name: Argo CD appends chart to it, so it looks for ${repoURL}/${chart}; drop /${chart} from repoURL`,
      ctx.valueRange(...path, 'repoURL'),
      HELM_DOCS,
    );
  if (revision !== undefined && revision !== '*' && !isArgoVersion(revision) && !isArgoSemverConstraint(revision))
    ctx.report(
      'ARGO015',
      'error',
      `${where}.targetRevision "${revision}" is not a chart version or semver range; a Helm chart from an OCI registry is picked by version (e.g. 1.2.3 or ^1.2)`,
      ctx.valueRange(...path, 'targetRevision'),
      HELM_DOCS,
    );
}

export function isArgoVersion(text: string): boolean {
  try {
    parseVersion(text);
    return true;
  } catch {
    return false;
  }
}
