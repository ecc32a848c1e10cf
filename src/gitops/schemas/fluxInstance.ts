import { fields, kubernetesObject } from './fieldSpec';
import { COMMON_METADATA, DURATION, nest, SELECTOR } from './fluxCommon';

export const fluxInstanceV1 = kubernetesObject(
  'fluxcd.controlplane.io/v1',
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
