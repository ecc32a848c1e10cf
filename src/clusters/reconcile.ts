import type { KubeConfig } from '@kubernetes/client-node';
import { objectPath } from './kinds';
import { kubeRequest } from './kubeApi';
import type { ClusterSource } from './model';

/** Flux's request annotation (fluxcd/pkg apis/meta ReconcileRequestAnnotation): any new value triggers a reconcile. */
export const FLUX_RECONCILE_ANNOTATION = 'reconcile.fluxcd.io/requestedAt';
/** Argo CD's refresh annotation (argo-cd pkg/apis/application common.AnnotationKeyRefresh); the controller removes it. */
export const ARGO_REFRESH_ANNOTATION = 'argocd.argoproj.io/refresh';

/**
 * The kinds a request can reconcile. An OCI HelmRepository is not one: source-controller keeps no
 * artifact for it, so the HelmRelease is what would have to be asked.
 */
export type ReconcilableKind = 'OCIRepository' | 'Application';

const PLURALS: Record<ReconcilableKind, string> = { OCIRepository: 'ocirepositories', Application: 'applications' };

export function isReconcilable(kind: ClusterSource['kind']): kind is ReconcilableKind {
  return kind in PLURALS;
}

/** The annotation a reconcile request sets on a source of this kind, and its value. */
export function reconcileAnnotation(kind: ReconcilableKind, now: Date): { key: string; value: string } {
  return kind === 'Application'
    ? { key: ARGO_REFRESH_ANNOTATION, value: 'normal' }
    : { key: FLUX_RECONCILE_ANNOTATION, value: now.toISOString() };
}

/**
 * Sets the reconcile annotation with a JSON merge patch (what `flux reconcile source oci` and
 * `argocd app get --refresh` do): the only write to a cluster anywhere in OCI GitOps.
 */
export async function requestReconcile(
  config: KubeConfig,
  source: Pick<ClusterSource, 'kind' | 'apiVersion' | 'namespace' | 'name'>,
  now: Date,
  timeoutMs: number,
): Promise<string> {
  if (!isReconcilable(source.kind))
    throw new Error(
      `A ${source.kind} cannot be asked to reconcile (${source.namespace}/${source.name}): reconcile the HelmRelease that uses it`,
    );
  const { key, value } = reconcileAnnotation(source.kind, now);
  await kubeRequest(config, objectPath({ plural: PLURALS[source.kind] }, source.apiVersion, source.namespace, source.name), {
    method: 'PATCH',
    contentType: 'application/merge-patch+json',
    body: { metadata: { annotations: { [key]: value } } },
    signal: AbortSignal.timeout(timeoutMs),
  });
  return value;
}
