/** A kind read from the clusters: its API group, the versions tried in order, and its resource name. */
export interface ClusterKind {
  kind: string;
  group: string;
  /** Newest first: an older cluster serves only an older version (OCIRepository v1beta2 before Flux 2.3). */
  versions: readonly string[];
  plural: string;
}

export const OCI_REPOSITORY: ClusterKind = {
  kind: 'OCIRepository',
  group: 'source.toolkit.fluxcd.io',
  versions: ['v1', 'v1beta2'],
  plural: 'ocirepositories',
};
export const HELM_REPOSITORY: ClusterKind = {
  kind: 'HelmRepository',
  group: 'source.toolkit.fluxcd.io',
  versions: ['v1', 'v1beta2'],
  plural: 'helmrepositories',
};
export const KUSTOMIZATION: ClusterKind = {
  kind: 'Kustomization',
  group: 'kustomize.toolkit.fluxcd.io',
  versions: ['v1'],
  plural: 'kustomizations',
};
export const HELM_RELEASE: ClusterKind = {
  kind: 'HelmRelease',
  group: 'helm.toolkit.fluxcd.io',
  versions: ['v2', 'v2beta2'],
  plural: 'helmreleases',
};
export const APPLICATION: ClusterKind = { kind: 'Application', group: 'argoproj.io', versions: ['v1alpha1'], plural: 'applications' };
/** source-watcher (Flux 2.7+): builds ExternalArtifacts from other sources. */
export const ARTIFACT_GENERATOR: ClusterKind = {
  kind: 'ArtifactGenerator',
  group: 'source.extensions.fluxcd.io',
  versions: ['v1beta1'],
  plural: 'artifactgenerators',
};
export const EXTERNAL_ARTIFACT: ClusterKind = {
  kind: 'ExternalArtifact',
  group: 'source.toolkit.fluxcd.io',
  versions: ['v1'],
  plural: 'externalartifacts',
};
/** Read for their image volumes (`spec.volumes[].image`, Kubernetes 1.31+). */
export const POD: ClusterKind = { kind: 'Pod', group: '', versions: ['v1'], plural: 'pods' };

export const READ_KINDS = [
  OCI_REPOSITORY,
  HELM_REPOSITORY,
  KUSTOMIZATION,
  HELM_RELEASE,
  APPLICATION,
  ARTIFACT_GENERATOR,
  EXTERNAL_ARTIFACT,
  POD,
] as const;

/** The path of a kind's collection, across namespaces or in one. */
export function collectionPath(kind: ClusterKind, version: string, namespace?: string): string {
  const base = kind.group ? `/apis/${kind.group}/${version}` : `/api/${version}`;
  return namespace === undefined ? `${base}/${kind.plural}` : `${base}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}`;
}

/** The path of one object, from its apiVersion as the server reported it. */
export function objectPath(kind: Pick<ClusterKind, 'plural'>, apiVersion: string, namespace: string, name: string): string {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return `${base}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}/${encodeURIComponent(name)}`;
}
