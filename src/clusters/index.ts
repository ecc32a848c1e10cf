export { ClusterError, isClusterError } from './errors';
export { ClusterReader, DEFAULT_CLUSTER_TIMEOUT_MS, type ClusterReaderOptions } from './clusterReader';
export { kubeconfigFiles, loadKubeconfig, type KubeContext, type Kubeconfig, type KubeconfigSource } from './kubeconfig';
export type { ClusterSource, ConditionState, ContextReading, Workload } from './model';
export {
  ARGO_REFRESH_ANNOTATION,
  FLUX_RECONCILE_ANNOTATION,
  isReconcilable,
  reconcileAnnotation,
  type ReconcilableKind,
} from './reconcile';
export { splitRevision } from './sources';
export {
  consumes,
  registryTagResolver,
  tagPlacements,
  whereRuns,
  type Placement,
  type Standing,
  type TagPlacements,
  type TagResolver,
  type WhereAnswer,
  type WhereTarget,
} from './where';
