/** A status condition as Flux reports it (Ready, SourceVerified). */
export interface ConditionState {
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

/**
 * What uses a source's artifact: a Flux Kustomization or HelmRelease that applies it, or an
 * ExternalArtifact that source-watcher's ArtifactGenerator builds from it.
 */
export interface Workload {
  kind: 'Kustomization' | 'HelmRelease' | 'ExternalArtifact';
  namespace: string;
  name: string;
  /** The source revision it last applied (Kustomization) or the chart version it deployed (HelmRelease). */
  revision?: string;
  digest?: string;
  ready?: ConditionState;
  lastReconciled?: string;
  /** The ArtifactGenerator that built an ExternalArtifact (`namespace/name`). */
  generator?: string;
}

/**
 * One OCI source in one cluster: a Flux OCIRepository, an OCI HelmRepository's chart as a
 * HelmRelease uses it, an Argo CD Application source with an oci:// repoURL, or a Pod's image volume.
 */
export interface ClusterSource {
  context: string;
  kind: 'OCIRepository' | 'HelmRepository' | 'Application' | 'Pod';
  /** As the server reported it, so that a reconcile request patches the same version. */
  apiVersion: string;
  namespace: string;
  name: string;
  /** `oci://registry/repository` of the artifact (for a HelmRepository, with the chart name appended). */
  url: string;
  registry?: string;
  repository?: string;
  /** What the object asks for: a tag, a semver range, a digest, or Argo CD's targetRevision. */
  ref?: string;
  /** The revision as the controller reports it (`1.2.0@sha256:…`, `sha256:…`, a chart version). */
  revision?: string;
  /** The tag it runs, when the revision names one. */
  tag?: string;
  /** The manifest digest it runs. */
  digest?: string;
  ready?: ConditionState;
  verified?: ConditionState;
  /** Argo CD's health (Healthy, Degraded, …) and sync status (Synced, OutOfSync). */
  health?: string;
  sync?: string;
  lastReconciled?: string;
  /** A Pod's image volume: the name of the volume that mounts the artifact. */
  volume?: string;
  workloads: Workload[];
}

/** The reading of one context: its sources, or why it could not be read. */
export interface ContextReading {
  context: string;
  server?: string;
  sources: ClusterSource[];
  /** Namespaces this user may not list, with the kinds refused there. */
  forbidden: { namespace: string; kinds: string[] }[];
  /** Kinds not served by this cluster (Flux or Argo CD not installed). */
  missingKinds: string[];
  /** Why the context could not be read (unreachable, no answer in time, unauthorised). */
  error?: string;
  elapsedMs: number;
  readAt: string;
}
