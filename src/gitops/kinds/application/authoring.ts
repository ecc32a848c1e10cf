import { isMap, isSeq, type YAMLMap } from 'yaml';
import {
  type ChartValuesAt,
  type CompletionSite,
  fieldOf,
  type KeyAt,
  repositoryOfUrl,
  type SemverSite,
  type ValueAt,
} from '../../contract/completionSite';
import { writtenScalar } from '../../completion/written';
import { nodeAt, rangeOf, scalarString } from '../../documents';
import type { Selector } from '../../contract/liveTarget';
import { isArgoSemverConstraint } from '../../rules/grammar';
import { helmOciRepository, isArgoVersion } from './helmOci';

/** The repository a source's targetRevision ranges over: the oci:// repoURL, or a Helm-OCI repoURL with chart appended. */
function sourceRepository(source: YAMLMap): { repo: ReturnType<typeof repositoryOfUrl>; helm: boolean } {
  const repoURL = scalarString(source.get('repoURL', true)) ?? '';
  const chart = scalarString(source.get('chart', true));
  if (chart) return { repo: repositoryOfUrl(`${repoURL.replace(/^oci:\/\//, '')}/${chart}`), helm: true };
  return { repo: repoURL.startsWith('oci://') ? repositoryOfUrl(repoURL) : undefined, helm: false };
}

/** spec.source and spec.sources[]: registries for repoURL; tags (OCI) or chart versions (Helm-OCI) and digests for targetRevision. */
export function applicationCompletionSite(_root: YAMLMap, at: ValueAt): CompletionSite | undefined {
  const { path } = at;
  const inSource = path.length === 3 && path[0] === 'spec' && path[1] === 'source';
  const inSources = path.length === 4 && path[0] === 'spec' && path[1] === 'sources' && typeof path[2] === 'number';
  if (!inSource && !inSources) return undefined;
  const span = { typed: at.typed, start: at.start, end: at.end, field: fieldOf(at) };
  const key = path[path.length - 1];
  // A Helm-OCI source names its registry without a scheme; an OCI source needs oci://.
  if (key === 'repoURL') return { kind: 'registry-or-repository', ociScheme: at.parent.get('chart', true) === undefined, ...span };
  if (key !== 'targetRevision') return undefined;
  const { repo, helm } = sourceRepository(at.parent);
  if (!repo) return undefined;
  if (at.typed.startsWith('sha256:')) return { kind: 'digest', repo, ...span };
  return helm ? { kind: 'version', repo, controller: 'argo', helm: true, ...span } : { kind: 'tag', repo, helm: false, ...span };
}

/** targetRevision ranges of OCI and Helm-OCI sources, resolved as Argo CD does. */
export function applicationSemverSites(root: YAMLMap): SemverSite[] {
  const sources: [unknown, string][] = [[nodeAt(root, 'spec', 'source'), 'spec.source']];
  const many = nodeAt(root, 'spec', 'sources');
  if (isSeq(many)) many.items.forEach((item, i) => sources.push([item, `spec.sources[${i}]`]));
  const sites: SemverSite[] = [];
  for (const [source, path] of sources) {
    if (!isMap(source)) continue;
    const node = source.get('targetRevision', true);
    const constraint = writtenScalar(node);
    const range = rangeOf(node);
    const { repo, helm } = sourceRepository(source);
    if (constraint === undefined || !range || !repo || !isArgoSemverConstraint(constraint)) continue;
    sites.push({
      constraint,
      repo,
      options: { controller: 'argo', helmTags: helm },
      start: range[0],
      end: range[1],
      field: `${path}.targetRevision`,
    });
  }
  return sites;
}

/** helm.valuesObject of a Helm-OCI source: the keys of that chart's values.yaml, for the version targetRevision picks. */
export function applicationChartValuesAt(root: YAMLMap, at: KeyAt): ChartValuesAt | undefined {
  const { ancestors } = at;
  let source: unknown;
  let rest: string[];
  if (ancestors[0] === 'spec' && ancestors[1] === 'source' && ancestors[2] === 'helm' && ancestors[3] === 'valuesObject') {
    source = nodeAt(root, 'spec', 'source');
    rest = ancestors.slice(4);
  } else if (
    ancestors[0] === 'spec' &&
    ancestors[1] === 'sources' &&
    ancestors[2] === '-' &&
    ancestors[3] === 'helm' &&
    ancestors[4] === 'valuesObject'
  ) {
    const many = nodeAt(root, 'spec', 'sources');
    source = isSeq(many)
      ? many.items.find((item) => isMap(item) && item.range && item.range[0] <= at.offset && at.offset <= item.range[2])
      : undefined;
    rest = ancestors.slice(5);
  } else return undefined;
  if (!isMap(source)) return undefined;
  const repoURL = scalarString(source.get('repoURL', true)) ?? '';
  const chart = scalarString(source.get('chart', true));
  const registry = helmOciRepository(repoURL);
  const revision = writtenScalar(source.get('targetRevision', true));
  if (!registry || !chart || revision === undefined) return undefined;
  const selector: Selector = isArgoVersion(revision)
    ? { type: 'tag', value: revision.replace(/\+/g, '_') }
    : { type: 'semver', value: revision };
  return {
    chart: {
      repo: { host: registry.host, repository: `${registry.path}/${chart}` },
      selector,
      options: { controller: 'argo', helmTags: true },
    },
    valuesPath: rest,
  };
}
