import { isMap, isSeq, type YAMLMap } from 'yaml';
import { isLoopbackHost } from '../../oci/reference/host';
import { nodeAt, pairOf, rangeOf, scalarString } from '../documents';
import { objectName, type LiveTarget, type Selector } from '../live/liveTarget';
import type { RuleContext } from '../rules/context';
import { compiles, DIGEST, INTERVAL, isSemverConstraint, REPOSITORY, splitOciUrl, TAG, TIMEOUT } from '../rules/grammar';
import { checkOciUrl } from '../rules/ociUrl';
import { missingFluxSource } from '../rules/sourceRef';
import { fields, type JsonSchema } from '../schemas/fieldSpec';
import { DURATION, TIMEOUT_DURATION } from '../schemas/fluxCommon';
import { kindSchema } from '../schemas/kindSchema';
import { declared, HELM_CHART_LAYER } from '../sources';
import { fieldOf, repositoryOfUrl, samePath, type CompletionSite, type SemverSite, type ValueAt } from '../completion/types';
import { writtenScalar } from '../completion/written';
import type { GitOpsKind } from './kind';

const GROUP = 'source.toolkit.fluxcd.io';
const DOCS = 'https://fluxcd.io/flux/components/source/ocirepositories/';
const V1BETA2_DEPRECATED = 'source.toolkit.fluxcd.io/v1beta2 is deprecated and removed in Flux 2.8; use source.toolkit.fluxcd.io/v1.';

/**
 * Flux OCIRepository (source.toolkit.fluxcd.io v1, and v1beta2 until Flux 2.8): the source of
 * Gitless GitOps. Kustomizations and HelmReleases name it; the live checks resolve its ref.
 */
export const ociRepository: GitOpsKind = {
  groupKinds: [{ group: GROUP, kind: 'OCIRepository' }],
  matches: (apiVersion, kind) => kind === 'OCIRepository' && apiVersion.startsWith(`${GROUP}/`),
  schemas: [
    kindSchema(`${GROUP}/v1`, 'OCIRepository', spec(true), {
      description: 'Flux OCIRepository: pulls an artifact from an OCI registry for Kustomizations and HelmReleases.',
    }),
    kindSchema(`${GROUP}/v1beta2`, 'OCIRepository', spec(false), {
      description: 'Flux OCIRepository (deprecated API version).',
      deprecated: V1BETA2_DEPRECATED,
    }),
  ],
  wholeObjectFields: [['url'], ['interval']],
  check: checkOciRepository,
  declaredSources: (root) => {
    const selectsHelmChart =
      scalarString(nodeAt(root, 'spec', 'layerSelector', 'mediaType')) === HELM_CHART_LAYER &&
      scalarString(nodeAt(root, 'spec', 'layerSelector', 'operation')) === 'copy';
    const name = nodeAt(root, 'metadata', 'name');
    return declared('OCIRepository', scalarString(nodeAt(root, 'metadata', 'namespace')) ?? 'default', scalarString(name), rangeOf(name), {
      selectsHelmChart,
    });
  },
  missingSource: missingFluxSource('OCIRepository', 'flux create source oci'),
  completionSite: ociRepositoryCompletionSite,
  semverSites: ociRepositorySemverSites,
  liveTargets: (root, whole) => {
    const target = whole || nodeAt(root, 'spec', 'ref') !== undefined ? liveTarget(root) : undefined;
    return target ? [target] : [];
  },
};

function spec(withTrustedRoot: boolean): JsonSchema {
  return fields(`
interval! string ${DURATION} -- How often the registry is checked for a new artifact, e.g. 5m or 1h.
url! string pattern=^oci://.*$ -- The repository as oci://host/path, without a tag or digest (those go in ref).
ref object -- Which artifact to pull. Precedence: digest, then semver, then tag; with no ref, the latest tag.
  tag string -- A tag to follow, e.g. 1.2.3. Mutable: the artifact changes when the tag is moved.
  semver string -- A semver constraint (e.g. ">=1.0.0 <2.0.0"); the highest matching tag wins.
  semverFilter string -- A regular expression tags must match before semver is applied. Only used with semver.
  digest string -- An immutable manifest digest, sha256:<64 hex>. Wins over semver and tag.
layerSelector object -- Which layer of the artifact to use, and whether to unpack it.
  mediaType string -- The media type of the layer to take; the first matching layer is used.
  operation string enum=extract|copy -- extract unpacks the tarball (default); copy keeps it as it is (Helm charts).
provider string enum=generic|aws|azure|gcp -- Where credentials come from: generic (secretRef) or the cloud's workload identity.
secretRef object -- A docker-registry Secret with pull credentials, in the same namespace.
  name! string -- Name of the Secret.
serviceAccountName string -- A ServiceAccount whose image pull secrets are used for the registry.
certSecretRef object -- A Secret with a CA (ca.crt) and optionally a client certificate (tls.crt, tls.key) for TLS.
  name! string -- Name of the Secret.
proxySecretRef object -- A Secret with the address (and credentials) of an HTTP/S proxy to the registry.
  name! string -- Name of the Secret.
verify object -- Refuse artifacts whose signature does not verify.
  provider! string enum=cosign|notation -- The signature format to check.
  secretRef object -- Secret with the trust material: cosign public keys (*.pub), or notation certificates and trustpolicy.json.
    name! string -- Name of the Secret.
  matchOIDCIdentity object[] -- Keyless cosign: the signer identities to accept. Each entry's issuer and subject are anchored regular expressions.
    issuer! string -- Regular expression for the OIDC issuer, e.g. ^https://token.actions.githubusercontent.com$.
    subject! string -- Regular expression for the identity (certificate subject), e.g. a workflow URL.
${withTrustedRoot ? '  trustedRootSecretRef object -- A Secret with a Sigstore trusted_root.json, for a private Sigstore instance.\n    name! string -- Name of the Secret.' : ''}
ignore string -- Paths to leave out of the extracted artifact, in .gitignore syntax.
insecure boolean -- Pull over plain HTTP. Only for registries on a trusted network.
timeout string ${TIMEOUT_DURATION} -- Limit for one pull, e.g. 60s (hours are not accepted here).
suspend boolean -- Stop reconciling until set back to false.
`);
}

/** Flux OCIRepository (source.toolkit.fluxcd.io v1 and v1beta2): the CRD and the controller's own rules. */
function checkOciRepository(ctx: RuleContext): void {
  const apiVersion = ctx.string('apiVersion');
  if (apiVersion === 'source.toolkit.fluxcd.io/v1beta2') {
    const range = ctx.valueRange('apiVersion');
    ctx.report(
      'OCI000',
      'warning',
      'source.toolkit.fluxcd.io/v1beta2 OCIRepository is deprecated and removed in Flux 2.8; change apiVersion to source.toolkit.fluxcd.io/v1 (the spec is the same)',
      range,
      DOCS,
      {
        title: 'Change apiVersion to source.toolkit.fluxcd.io/v1',
        edits: [{ start: range[0], end: range[1], text: 'source.toolkit.fluxcd.io/v1' }],
      },
    );
  }
  if (!ctx.isMapAt('spec')) {
    ctx.reportWhole('OCI001', 'error', 'OCIRepository needs a spec with url and interval', ctx.keyRange('spec'), DOCS);
    return;
  }
  const host = checkOciUrl(ctx, ['spec'], {
    docs: DOCS,
    tagField: 'spec.ref.tag',
    digestField: 'spec.ref.digest',
    moveTag: (tag, keyColumn, hasRef) => (hasRef ? undefined : `\n${' '.repeat(keyColumn)}ref:\n${' '.repeat(keyColumn + 2)}tag: ${tag}`),
  });
  if (host !== undefined && ctx.node('spec', 'insecure') && ctx.string('spec', 'insecure') === 'true' && !isLoopbackHost(host)) {
    ctx.report(
      'OCI020',
      'info',
      `insecure: true sends pulls from ${host} over plain HTTP; use TLS (certSecretRef for a private CA) unless this registry is on a trusted network`,
      ctx.valueRange('spec', 'insecure'),
      DOCS,
    );
  }
  checkDurations(ctx);
  checkRef(ctx);
  checkEnums(ctx);
  checkVerify(ctx);
}

function checkDurations(ctx: RuleContext): void {
  const interval = ctx.requireSpecField(
    'OCI005',
    'interval',
    '5m',
    'spec.interval is required: how often to check the registry, e.g. 5m',
    DOCS,
  );
  if (interval !== undefined && !INTERVAL.test(interval))
    ctx.report(
      'OCI005',
      'error',
      `spec.interval "${interval}" is not a duration; use numbers with ms, s, m or h, e.g. 5m or 1h30m`,
      ctx.valueRange('spec', 'interval'),
      DOCS,
    );
  const timeout = ctx.string('spec', 'timeout');
  if (timeout !== undefined && !TIMEOUT.test(timeout)) {
    ctx.report(
      'OCI006',
      'error',
      `spec.timeout "${timeout}" is not a duration in ms, s or m (hours are not allowed here), e.g. 60s`,
      ctx.valueRange('spec', 'timeout'),
      DOCS,
    );
  }
}

function checkRef(ctx: RuleContext): void {
  if (!ctx.has('spec', 'ref')) {
    // Following the newest push is a delivery model the Flux docs show, not a mistake: an info.
    ctx.reportWhole(
      'OCI007',
      'info',
      'No spec.ref: Flux follows the mutable "latest" tag. Pin a digest, a tag or a semver range if the cluster should not change on every push',
      ctx.keyRange('spec', 'url'),
      DOCS,
    );
    return;
  }
  const digest = ctx.string('spec', 'ref', 'digest');
  const semver = ctx.string('spec', 'ref', 'semver');
  const tag = ctx.string('spec', 'ref', 'tag');
  const filter = ctx.string('spec', 'ref', 'semverFilter');
  if (digest !== undefined && !DIGEST.test(digest)) {
    ctx.report(
      'OCI008',
      'error',
      `spec.ref.digest "${digest}" is not sha256:<64 lowercase hex digits>`,
      ctx.valueRange('spec', 'ref', 'digest'),
      DOCS,
    );
  }
  if (semver !== undefined && !isSemverConstraint(semver) && !/^v?\d+\.\d+\.\d+/.test(semver)) {
    ctx.report(
      'OCI009',
      'error',
      `spec.ref.semver "${semver}" is not a semver constraint, e.g. ">=1.0.0 <2.0.0" or "1.x"`,
      ctx.valueRange('spec', 'ref', 'semver'),
      DOCS,
    );
  }
  if (tag !== undefined && !TAG.test(tag))
    ctx.report('OCI010', 'error', `spec.ref.tag "${tag}" is not a valid tag`, ctx.valueRange('spec', 'ref', 'tag'), DOCS);
  const overridden = refOverride(digest, semver, tag);
  if (overridden !== undefined)
    ctx.report(overridden.code, overridden.severity, overridden.message, ctx.keyRange('spec', 'ref', overridden.key), DOCS);
  if (digest === undefined && semver === undefined && tag === 'latest') {
    // A patch's tag may be overridden by a digest or semver of the object it patches.
    ctx.reportWhole(
      'OCI012',
      'info',
      'The "latest" tag moves: what the cluster runs changes with every push, without a commit. Pin a digest or a version tag if it should not',
      ctx.valueRange('spec', 'ref', 'tag'),
      DOCS,
    );
  }
  if (filter !== undefined) {
    const problem = compiles(filter);
    if (problem)
      ctx.report(
        'OCI013',
        'error',
        `spec.ref.semverFilter is not a valid regular expression: ${problem}`,
        ctx.valueRange('spec', 'ref', 'semverFilter'),
        DOCS,
      );
    if (semver === undefined)
      ctx.reportWhole(
        'OCI014',
        'warning',
        'spec.ref.semverFilter only applies together with spec.ref.semver; it is ignored here',
        ctx.keyRange('spec', 'ref', 'semverFilter'),
        DOCS,
      );
  }
}

function checkEnums(ctx: RuleContext): void {
  const enumOf = (path: string[], allowed: string[], code: string) => {
    const value = ctx.string(...path);
    if (value !== undefined && !allowed.includes(value)) {
      ctx.report(code, 'error', `${path.join('.')} "${value}" must be one of ${allowed.join(', ')}`, ctx.valueRange(...path), DOCS);
    }
  };
  enumOf(['spec', 'provider'], ['generic', 'aws', 'azure', 'gcp'], 'OCI015');
  enumOf(['spec', 'layerSelector', 'operation'], ['extract', 'copy'], 'OCI015');
  enumOf(['spec', 'verify', 'provider'], ['cosign', 'notation'], 'OCI015');
}

function checkVerify(ctx: RuleContext): void {
  if (!ctx.has('spec', 'verify')) return;
  const provider = ctx.string('spec', 'verify', 'provider') ?? 'cosign';
  const hasSecret = ctx.has('spec', 'verify', 'secretRef');
  const identities = ctx.node('spec', 'verify', 'matchOIDCIdentity');
  const items = (identities as { items?: unknown[] } | undefined)?.items ?? [];
  items.forEach((_, index) => {
    for (const field of ['issuer', 'subject']) {
      const value = ctx.string('spec', 'verify', 'matchOIDCIdentity', index, field);
      if (value === undefined)
        ctx.report(
          'OCI016',
          'error',
          `matchOIDCIdentity[${index}] needs ${field} (a regular expression)`,
          ctx.valueRange('spec', 'verify', 'matchOIDCIdentity', index),
          DOCS,
        );
      else {
        const problem = compiles(value);
        if (problem)
          ctx.report(
            'OCI016',
            'error',
            `matchOIDCIdentity[${index}].${field} is not a valid regular expression: ${problem}`,
            ctx.valueRange('spec', 'verify', 'matchOIDCIdentity', index, field),
            DOCS,
          );
      }
    }
  });
  if (provider === 'cosign' && !hasSecret && items.length === 0) {
    // The Flux docs enable keyless verification exactly this way; narrowing it is advice, not a fix.
    ctx.reportWhole(
      'OCI017',
      'info',
      'Keyless cosign verification without matchOIDCIdentity accepts a signature from anyone with a Sigstore identity; add issuer and subject patterns to accept only your signer',
      ctx.keyRange('spec', 'verify'),
      DOCS,
    );
  }
  if (provider === 'notation' && !hasSecret) {
    ctx.reportWhole(
      'OCI018',
      'error',
      'Notation verification needs spec.verify.secretRef: a Secret with trustpolicy.json and the trusted certificates',
      ctx.keyRange('spec', 'verify'),
      DOCS,
    );
  }
}

/** What the ref selects, in source-controller's precedence: digest, then semver, then tag, else latest. */
function liveTarget(root: YAMLMap): LiveTarget | undefined {
  const urlNode = nodeAt(root, 'spec', 'url');
  const parts = splitOciUrl(scalarString(urlNode) ?? '');
  const urlRange = rangeOf(urlNode);
  if (!parts || parts.tag || parts.digest || !REPOSITORY.test(parts.repository) || !urlRange) return undefined;
  const ref = nodeAt(root, 'spec', 'ref');
  const digest = scalarString(nodeAt(ref, 'digest'));
  const semver = scalarString(nodeAt(ref, 'semver'));
  const tag = scalarString(nodeAt(ref, 'tag'));
  let selector: Selector;
  let at: string;
  if (digest !== undefined) {
    if (!DIGEST.test(digest)) return undefined;
    selector = { type: 'digest', value: digest };
    at = 'digest';
  } else if (semver !== undefined) {
    const filter = scalarString(nodeAt(ref, 'semverFilter'));
    selector = { type: 'semver', value: semver, ...(filter ? { filter } : {}) };
    at = 'semver';
  } else {
    // No ref means the mutable `latest` tag (the offline rules warn about it).
    selector = { type: 'tag', value: tag ?? 'latest' };
    at = tag !== undefined ? 'tag' : '';
  }
  const pair = at ? pairOf(ref, at) : undefined;
  const valueRange = rangeOf(pair?.value);
  const keyRange = rangeOf(pair?.key);
  const verify = nodeAt(root, 'spec', 'verify');
  const identities = nodeAt(verify, 'matchOIDCIdentity');
  return {
    kind: 'OCIRepository',
    object: objectName(root),
    controller: 'flux',
    docs: DOCS,
    host: parts.host,
    repository: parts.repository,
    selector,
    range: valueRange ?? urlRange,
    urlRange,
    ...(selector.type !== 'digest' && keyRange && valueRange
      ? { pin: { start: keyRange[0], end: valueRange[1], key: at, value: selector.value, digestKey: 'digest' } }
      : {}),
    ...(isMap(verify)
      ? {
          verify: {
            provider: scalarString(nodeAt(verify, 'provider')) ?? 'cosign',
            secretName: scalarString(nodeAt(verify, 'secretRef', 'name')),
            trustedRootSecretName: scalarString(nodeAt(verify, 'trustedRootSecretRef', 'name')),
            identities: isSeq(identities)
              ? identities.items.map((item) => ({
                  issuer: scalarString(nodeAt(item, 'issuer')),
                  subject: scalarString(nodeAt(item, 'subject')),
                }))
              : [],
          },
        }
      : {}),
    ...(scalarString(nodeAt(root, 'spec', 'layerSelector', 'mediaType'))
      ? { layerMediaType: scalarString(nodeAt(root, 'spec', 'layerSelector', 'mediaType')) }
      : {}),
  };
}

/** spec.url: registries and repositories; spec.ref: the tags, Flux-readable versions or digests of spec.url. */
function ociRepositoryCompletionSite(root: YAMLMap, at: ValueAt): CompletionSite | undefined {
  const span = { typed: at.typed, start: at.start, end: at.end, field: fieldOf(at) };
  if (samePath(at.path, 'spec', 'url')) return { kind: 'registry-or-repository', ociScheme: true, ...span };
  const repo = repositoryOfUrl(scalarString(nodeAt(root, 'spec', 'url')) ?? '');
  if (!repo) return undefined;
  if (samePath(at.path, 'spec', 'ref', 'tag')) return { kind: 'tag', repo, helm: false, ...span };
  if (samePath(at.path, 'spec', 'ref', 'digest')) return { kind: 'digest', repo, ...span };
  if (!samePath(at.path, 'spec', 'ref', 'semver')) return undefined;
  const filter = scalarString(nodeAt(root, 'spec', 'ref', 'semverFilter'));
  return { kind: 'version', repo, controller: 'flux-oci', helm: false, ...(filter ? { filter } : {}), ...span };
}

/** spec.ref.semver, resolved as source-controller does (with spec.ref.semverFilter). */
function ociRepositorySemverSites(root: YAMLMap): SemverSite[] {
  const node = nodeAt(root, 'spec', 'ref', 'semver');
  const constraint = writtenScalar(node);
  const repo = repositoryOfUrl(scalarString(nodeAt(root, 'spec', 'url')) ?? '');
  const range = rangeOf(node);
  if (constraint === undefined || !repo || !range || !isSemverConstraint(constraint)) return [];
  const filter = scalarString(nodeAt(root, 'spec', 'ref', 'semverFilter'));
  return [
    {
      constraint,
      repo,
      options: { controller: 'flux-oci', ...(filter ? { filter } : {}) },
      start: range[0],
      end: range[1],
      field: 'spec.ref.semver',
    },
  ];
}

/** Which ref field another one overrides (precedence digest > semver > tag), and how much that matters. */
function refOverride(
  digest: string | undefined,
  semver: string | undefined,
  tag: string | undefined,
): { code: 'OCI011'; severity: 'warning' | 'info'; key: 'semver' | 'tag'; message: string } | undefined {
  const precedence = '(precedence digest > semver > tag)';
  if (digest !== undefined && semver !== undefined)
    return { code: 'OCI011', severity: 'warning', key: 'semver', message: `spec.ref.digest wins: semver is ignored ${precedence}` };
  // Tag beside digest is the pinned form Renovate's flux manager writes (pinDigests): the tag names
  // the digest for people and for updates, so it is a fact to know, not a mistake.
  if (digest !== undefined && tag !== undefined)
    return {
      code: 'OCI011',
      severity: 'info',
      key: 'tag',
      message: `spec.ref.digest is what Flux pulls: the tag only names it ${precedence}; keep the two in step`,
    };
  if (semver !== undefined && tag !== undefined)
    return { code: 'OCI011', severity: 'warning', key: 'tag', message: `spec.ref.semver wins: tag is ignored ${precedence}` };
  return undefined;
}
