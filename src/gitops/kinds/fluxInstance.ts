import type { YAMLMap } from 'yaml';
import { nodeAt, pairOf, rangeOf, scalarString } from '../documents';
import { objectName, type LiveTarget } from '../contract/liveTarget';
import type { RuleContext } from '../contract/ruleContext';
import { REPOSITORY, splitOciUrl, TAG } from '../rules/grammar';
import { checkOciUrl } from '../rules/ociUrl';
import { fields } from '../schemas/fieldSpec';
import { COMMON_METADATA, DURATION, nest, SELECTOR } from '../schemas/fluxCommon';
import { kindSchema } from '../schemas/kindSchema';
import { CLUSTER_SYNC_NAME, declared } from '../sources';
import { fieldOf, repositoryOfUrl, samePath, type CompletionSite, type ValueAt } from '../contract/completionSite';
import type { GitOpsKind } from '../contract/kind';

const GROUP = 'fluxcd.controlplane.io';
const DOCS = 'https://fluxcd.control-plane.io/operator/fluxinstance/';

/** Which sync source kinds each workload identity provider works with (the CRD's CEL rules). */
const SYNC_PROVIDERS: Record<string, string[]> = {
  OCIRepository: ['generic', 'aws', 'azure', 'gcp'],
  GitRepository: ['generic', 'aws', 'azure', 'github'],
  Bucket: ['generic', 'aws', 'azure', 'gcp'],
};

const V1 = kindSchema(
  `${GROUP}/v1`,
  'FluxInstance',
  fields(`
distribution! object -- Which Flux to install: version, registry and variant.
  version! string -- A semver range of Flux versions, e.g. 2.x or 2.7.x.
  registry! string -- Registry and path the controller images are pulled from, e.g. ghcr.io/fluxcd.
  variant string enum=upstream-alpine|enterprise-alpine|enterprise-distroless|enterprise-distroless-fips -- The distribution flavour.
  artifact string pattern=^oci://.*$ -- OCI artifact with the distribution's manifests, e.g. oci://ghcr.io/controlplaneio-fluxcd/flux-operator-manifests:latest.
  artifactPullSecret string -- Secret with credentials for the manifests artifact.
  imagePullSecret string -- Secret with credentials for the image registry.
components string[] enum=source-controller|kustomize-controller|helm-controller|notification-controller|image-reflector-controller|image-automation-controller|source-watcher -- The controllers to install; the four core controllers when left out.
cluster object -- The cluster Flux runs in.
  type string enum=kubernetes|openshift|aws|azure|gcp -- The Kubernetes distribution.
  size string enum=small|medium|large -- Vertical scaling profile of the controllers.
  domain string -- The cluster domain, cluster.local when left out.
  multitenant boolean -- Lock Flux down for multi-tenancy.
  multitenantWorkloadIdentity boolean -- Lock workload identity down for multi-tenancy (needs objectLevelWorkloadIdentity).
  objectLevelWorkloadIdentity boolean -- Enable workload identity per Flux object.
  networkPolicy boolean -- Restrict network access to the Flux namespace.
  tenantDefaultServiceAccount string -- ServiceAccount tenants' objects run as when multitenant is on.
  tenantDefaultDecryptionServiceAccount string -- Default ServiceAccount for SOPS decryption with multitenant workload identity.
  tenantDefaultKubeConfigServiceAccount string -- Default ServiceAccount for remote clusters with multitenant workload identity.
sync object -- The source (OCIRepository, GitRepository or Bucket) and Kustomization that sync the cluster, both named after name.
  kind! string enum=OCIRepository|GitRepository|Bucket -- Kind of the source created.
  url! string -- Repository address: oci://registry/repository for an OCIRepository (no tag: that goes in ref).
  ref! string -- The tag for an OCIRepository (e.g. latest), the Git ref (refs/heads/main), or the bucket name.
  path! string -- Folder in the source with the cluster's manifests.
  name string max=63 -- Name of the source and Kustomization; the FluxInstance's namespace when left out.
  interval string ${DURATION} -- How often the source is checked, 1m when left out.
  provider string enum=generic|aws|azure|gcp|github -- Workload identity provider for the source's credentials.
  pullSecret string -- Secret with credentials for the source (a docker-registry Secret for OCI).
kustomize object -- Kustomize patches applied to the Flux manifests (and to the sync objects).
  patches object[] -- Strategic merge or JSON 6902 patches.
    patch! string -- The patch, as YAML or JSON.
    target object -- Which objects it applies to.
${nest(SELECTOR, 3)}
sharding object -- Run extra source, kustomize and helm controllers, one per shard.
  shards! string[] -- Names of the shards.
  key string -- Label that assigns objects to a shard, sharding.fluxcd.io/key when left out.
  storage string enum=ephemeral|persistent -- Artifact storage of the sharded source-controllers.
storage object -- A persistent volume for source-controller's artifacts.
  class! string -- Storage class of the volume.
  size! string -- Size of the volume, e.g. 10Gi.
migrateResources boolean -- Migrate Flux objects to the newest API versions on upgrade.
wait boolean -- Wait for the installed objects to become ready.
${COMMON_METADATA}
`),
  { description: 'Flux Operator FluxInstance: installs and upgrades Flux, and can sync the cluster from an OCI artifact (spec.sync).' },
);

/**
 * Flux Operator FluxInstance (fluxcd.controlplane.io/v1): installs Flux, and with `spec.sync` makes
 * the cluster's own source (named after `spec.sync.name`, else after the instance's namespace, in
 * that namespace) and the Kustomization that applies it.
 */
export const fluxInstance: GitOpsKind = {
  groupKinds: [{ group: GROUP, kind: 'FluxInstance' }],
  matches: (apiVersion, kind) => kind === 'FluxInstance' && apiVersion.startsWith(`${GROUP}/`),
  schemas: [V1],
  wholeObjectFields: [['distribution']],
  check: checkFluxInstance,
  declaredSources: (root) => {
    const kind = scalarString(nodeAt(root, 'spec', 'sync', 'kind'));
    if (kind === undefined) return [];
    // The operator lives in flux-system and so, by convention, does the one FluxInstance it accepts.
    const namespace = scalarString(nodeAt(root, 'metadata', 'namespace')) ?? CLUSTER_SYNC_NAME;
    const name = nodeAt(root, 'spec', 'sync', 'name');
    return declared(kind, namespace, scalarString(name) ?? namespace, rangeOf(name) ?? rangeOf(pairOf(nodeAt(root, 'spec'), 'sync')?.key));
  },
  completionSite: fluxInstanceCompletionSite,
  liveTargets: (root) => {
    const target = scalarString(nodeAt(root, 'spec', 'sync', 'kind')) === 'OCIRepository' ? liveTarget(root) : undefined;
    return target ? [target] : [];
  },
};

/**
 * Flux Operator FluxInstance (fluxcd.controlplane.io/v1): the CRD's CEL rules, and for an OCI
 * `spec.sync` the same url and ref checks as an OCIRepository (the operator turns it into one,
 * with `ref` as its tag).
 */
function checkFluxInstance(ctx: RuleContext): void {
  const name = ctx.string('metadata', 'name');
  if (name !== undefined && name !== 'flux') {
    ctx.report(
      'FLUX013',
      'error',
      `The Flux Operator only accepts a FluxInstance named "flux" (got "${name}")`,
      ctx.valueRange('metadata', 'name'),
      DOCS,
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
      DOCS,
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
      DOCS,
    );
  }
}

function checkSync(ctx: RuleContext): void {
  if (!ctx.isMapAt('spec', 'sync')) return;
  const kind = ctx.string('spec', 'sync', 'kind');
  const provider = ctx.string('spec', 'sync', 'provider');
  if (kind !== undefined && provider !== undefined && SYNC_PROVIDERS[kind] && !SYNC_PROVIDERS[kind].includes(provider)) {
    ctx.report(
      'FLUX014',
      'error',
      `spec.sync.provider "${provider}" does not work with a ${kind}; use one of ${SYNC_PROVIDERS[kind].join(', ')}`,
      ctx.valueRange('spec', 'sync', 'provider'),
      DOCS,
    );
  }
  if (kind !== 'OCIRepository') return;
  checkOciUrl(ctx, ['spec', 'sync'], {
    docs: DOCS,
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
      DOCS,
    );
  } else if (ref === 'latest') {
    ctx.report(
      'OCI012',
      'info',
      'The "latest" tag moves: what the cluster runs changes with every push, without a commit. Push and follow a version tag if it should not',
      ctx.valueRange('spec', 'sync', 'ref'),
      DOCS,
    );
  }
}

/** A FluxInstance's OCI sync: the operator makes it an OCIRepository that follows the tag in `ref`. */
function liveTarget(root: YAMLMap): LiveTarget | undefined {
  const urlNode = nodeAt(root, 'spec', 'sync', 'url');
  const parts = splitOciUrl(scalarString(urlNode) ?? '');
  const urlRange = rangeOf(urlNode);
  const refNode = nodeAt(root, 'spec', 'sync', 'ref');
  const tag = scalarString(refNode);
  if (!parts || parts.tag || parts.digest || !REPOSITORY.test(parts.repository) || !urlRange || tag === undefined || !TAG.test(tag))
    return undefined;
  // No pin: the sync follows a tag and has no field for a digest.
  return {
    kind: 'FluxInstance',
    object: objectName(root),
    controller: 'flux',
    docs: DOCS,
    host: parts.host,
    repository: parts.repository,
    selector: { type: 'tag', value: tag },
    range: rangeOf(refNode) ?? urlRange,
    urlRange,
  };
}

/** spec.sync of kind OCIRepository: registries for url; the tags of url for ref (the operator writes it into spec.ref.tag). */
function fluxInstanceCompletionSite(root: YAMLMap, at: ValueAt): CompletionSite | undefined {
  const syncKind = scalarString(nodeAt(root, 'spec', 'sync', 'kind'));
  if (syncKind !== undefined && syncKind !== 'OCIRepository') return undefined;
  const span = { typed: at.typed, start: at.start, end: at.end, field: fieldOf(at) };
  if (samePath(at.path, 'spec', 'sync', 'url')) return { kind: 'registry-or-repository', ociScheme: true, ...span };
  const repo = repositoryOfUrl(scalarString(nodeAt(root, 'spec', 'sync', 'url')) ?? '');
  if (repo && samePath(at.path, 'spec', 'sync', 'ref')) return { kind: 'tag', repo, helm: false, ...span };
  return undefined;
}
