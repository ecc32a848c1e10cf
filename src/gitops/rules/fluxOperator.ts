import { isSeq } from 'yaml';
import type { RuleContext } from './context';
import { TAG } from './grammar';
import { checkOciUrl } from './ociRepository';

const FLUX_INSTANCE_DOCS = 'https://fluxcd.control-plane.io/operator/fluxinstance/';
const ARTIFACT_GENERATOR_DOCS = 'https://fluxoperator.dev/docs/crd/artifactgenerator';

/** Which sync source kinds each workload identity provider works with (the CRD's CEL rules). */
const SYNC_PROVIDERS: Record<string, string[]> = {
  OCIRepository: ['generic', 'aws', 'azure', 'gcp'],
  GitRepository: ['generic', 'aws', 'azure', 'github'],
  Bucket: ['generic', 'aws', 'azure', 'gcp'],
};

/**
 * Flux Operator FluxInstance (fluxcd.controlplane.io/v1): the CRD's CEL rules, and for an OCI
 * `spec.sync` the same url and ref checks as an OCIRepository (the operator turns it into one,
 * with `ref` as its tag).
 */
export function checkFluxInstance(ctx: RuleContext): void {
  const name = ctx.string('metadata', 'name');
  if (name !== undefined && name !== 'flux') {
    ctx.report(
      'FLUX007',
      'error',
      `The Flux Operator only accepts a FluxInstance named "flux" (got "${name}")`,
      ctx.valueRange('metadata', 'name'),
      FLUX_INSTANCE_DOCS,
      {
        title: 'Rename it to flux',
        edits: [{ start: ctx.valueRange('metadata', 'name')[0], end: ctx.valueRange('metadata', 'name')[1], text: 'flux' }],
      },
    );
  }
  if (!ctx.isMapAt('spec')) return;
  checkSync(ctx);
  if (ctx.string('spec', 'sharding', 'storage') === 'persistent' && !ctx.has('spec', 'storage')) {
    ctx.reportWhole(
      'FLUX009',
      'error',
      'spec.sharding.storage "persistent" needs spec.storage (class and size of the volumes)',
      ctx.valueRange('spec', 'sharding', 'storage'),
      FLUX_INSTANCE_DOCS,
    );
  }
  if (
    ctx.string('spec', 'cluster', 'multitenantWorkloadIdentity') === 'true' &&
    ctx.string('spec', 'cluster', 'objectLevelWorkloadIdentity') !== 'true'
  ) {
    ctx.reportWhole(
      'FLUX010',
      'error',
      'spec.cluster.multitenantWorkloadIdentity needs spec.cluster.objectLevelWorkloadIdentity: true',
      ctx.valueRange('spec', 'cluster', 'multitenantWorkloadIdentity'),
      FLUX_INSTANCE_DOCS,
    );
  }
}

function checkSync(ctx: RuleContext): void {
  if (!ctx.isMapAt('spec', 'sync')) return;
  const kind = ctx.string('spec', 'sync', 'kind');
  const provider = ctx.string('spec', 'sync', 'provider');
  if (kind !== undefined && provider !== undefined && SYNC_PROVIDERS[kind] && !SYNC_PROVIDERS[kind].includes(provider)) {
    ctx.report(
      'FLUX008',
      'error',
      `spec.sync.provider "${provider}" does not work with a ${kind}; use one of ${SYNC_PROVIDERS[kind].join(', ')}`,
      ctx.valueRange('spec', 'sync', 'provider'),
      FLUX_INSTANCE_DOCS,
    );
  }
  if (kind !== 'OCIRepository') return;
  checkOciUrl(ctx, ['spec', 'sync'], {
    docs: FLUX_INSTANCE_DOCS,
    tagField: 'spec.sync.ref',
    // The operator writes ref into the OCIRepository's spec.ref.tag; there is no digest field.
    moveTag: (tag, keyColumn, hasRef) => (hasRef ? undefined : `\n${' '.repeat(keyColumn)}ref: "${tag}"`),
  });
  const ref = ctx.string('spec', 'sync', 'ref');
  if (ref === undefined) return;
  if (!TAG.test(ref)) {
    ctx.report(
      'OCI010',
      'error',
      `spec.sync.ref "${ref}" is not a valid tag; for an OCIRepository sync it is the tag to follow, e.g. latest or 1.2.3`,
      ctx.valueRange('spec', 'sync', 'ref'),
      FLUX_INSTANCE_DOCS,
    );
  } else if (ref === 'latest') {
    ctx.report(
      'OCI012',
      'info',
      'The "latest" tag moves: what the cluster runs changes with every push, without a commit. Push and follow a version tag if it should not',
      ctx.valueRange('spec', 'sync', 'ref'),
      FLUX_INSTANCE_DOCS,
    );
  }
}

/**
 * Flux ArtifactGenerator (source.extensions.fluxcd.io/v1beta1): every `@alias` a copy operation,
 * pathPattern or revision uses must be one of the generator's sources, and aliases are unique.
 */
export function checkArtifactGenerator(ctx: RuleContext): void {
  const sources = ctx.node('spec', 'sources');
  // A patch that leaves the sources to the object it patches cannot tell which aliases exist.
  if (!isSeq(sources)) return;
  const aliases = new Map<string, number>();
  sources.items.forEach((_, index) => {
    const alias = ctx.string('spec', 'sources', index, 'alias');
    if (alias === undefined) return;
    if (aliases.has(alias))
      ctx.report(
        'FLUX012',
        'error',
        `sources[${index}].alias "${alias}" is already used by sources[${aliases.get(alias)}]; aliases must be unique`,
        ctx.valueRange('spec', 'sources', index, 'alias'),
        ARTIFACT_GENERATOR_DOCS,
      );
    else aliases.set(alias, index);
  });
  const known = [...aliases.keys()];
  const checkAlias = (path: (string | number)[], value: string | undefined) => {
    const alias = value === undefined ? undefined : /^@([^/]+)/.exec(value)?.[1];
    if (alias === undefined || alias === 'artifact' || aliases.has(alias)) return;
    ctx.report(
      'FLUX011',
      'error',
      `@${alias} is not a source of this ArtifactGenerator; use one of ${known.map((a) => `@${a}`).join(', ') || 'the aliases in spec.sources'}`,
      ctx.valueRange(...path),
      ARTIFACT_GENERATOR_DOCS,
    );
  };
  checkAlias(['spec', 'pathPattern'], ctx.string('spec', 'pathPattern'));
  const artifacts = ctx.node('spec', 'artifacts');
  if (!isSeq(artifacts)) return;
  artifacts.items.forEach((_, a) => {
    for (const field of ['revision', 'originRevision'])
      checkAlias(['spec', 'artifacts', a, field], ctx.string('spec', 'artifacts', a, field));
    const copies = ctx.node('spec', 'artifacts', a, 'copy');
    if (!isSeq(copies)) return;
    copies.items.forEach((__, c) =>
      checkAlias(['spec', 'artifacts', a, 'copy', c, 'from'], ctx.string('spec', 'artifacts', a, 'copy', c, 'from')),
    );
  });
}
