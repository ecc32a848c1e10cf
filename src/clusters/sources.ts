import { parseReference } from '../oci';
import type { KubeObject } from './listing';
import type { ClusterSource, ConditionState, Workload } from './model';

type Loose = Record<string, unknown>;

export const asObject = (v: unknown): Loose => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : {});
export const asString = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Flux's conditions (fluxcd/pkg apis/meta): the one of a type, if reported. */
export function condition(object: KubeObject, type: string): (ConditionState & { at?: string }) | undefined {
  const found = asArray(object.status?.conditions)
    .map(asObject)
    .find((c) => c.type === type);
  if (!found) return undefined;
  const status = found.status === 'True' || found.status === 'False' ? found.status : 'Unknown';
  return {
    status,
    ...(asString(found.reason) ? { reason: asString(found.reason) } : {}),
    ...(asString(found.message) ? { message: asString(found.message) } : {}),
    ...(asString(found.lastTransitionTime) ? { at: asString(found.lastTransitionTime) } : {}),
  };
}

export function withoutTime(c: (ConditionState & { at?: string }) | undefined): ConditionState | undefined {
  if (!c) return undefined;
  const { at: _at, ...rest } = c;
  return rest;
}

export function latest(...times: (string | undefined)[]): string | undefined {
  return times.filter((t): t is string => !!t).sort((a, b) => Date.parse(b) - Date.parse(a))[0];
}

/**
 * A Flux artifact revision split: `<tag>@sha256:<hex>` (a tag), `sha256:<hex>` (pinned), or a
 * chart version with the first 12 hex digits of its digest after `+` (helm-controller).
 */
export function splitRevision(revision: string | undefined): { tag?: string; digest?: string } {
  if (!revision) return {};
  const at = revision.lastIndexOf('@');
  if (at > 0 && /^sha256:[a-f0-9]{64}$/.test(revision.slice(at + 1))) return { tag: revision.slice(0, at), digest: revision.slice(at + 1) };
  if (/^sha256:[a-f0-9]{64}$/.test(revision)) return { digest: revision };
  return { tag: revision };
}

export function location(url: string | undefined): { registry?: string; repository?: string } {
  if (!url) return {};
  try {
    const ref = parseReference(url, { allowDockerHubShortNames: true });
    return { registry: ref.registry, repository: ref.repository };
  } catch {
    return {};
  }
}

const isOciUrl = (url: string | undefined): url is string => !!url && /^oci:\/\//i.test(url);
export const namespaceOf = (o: KubeObject) => o.metadata.namespace ?? 'default';

/** source-controller's OCIRepository: status.artifact.revision, Ready, SourceVerified. */
export function ociRepositorySource(context: string, object: KubeObject): ClusterSource {
  const spec = asObject(object.spec);
  const ref = asObject(spec.ref);
  const artifact = asObject(object.status?.artifact);
  const revision = asString(artifact.revision);
  const ready = condition(object, 'Ready');
  return {
    context,
    kind: 'OCIRepository',
    apiVersion: object.apiVersion,
    namespace: namespaceOf(object),
    name: object.metadata.name,
    url: asString(spec.url) ?? '',
    ...location(asString(spec.url)),
    ...optional('ref', asString(ref.digest) ?? asString(ref.semver) ?? asString(ref.tag) ?? 'latest'),
    ...optional('revision', revision),
    ...splitRevision(revision),
    ...optional('ready', withoutTime(ready)),
    ...optional('verified', withoutTime(condition(object, 'SourceVerified'))),
    ...optional('lastReconciled', latest(asString(artifact.lastUpdateTime), ready?.at)),
    workloads: [],
  };
}

/** kustomize-controller's Kustomization of an OCIRepository: status.lastAppliedRevision, Ready. */
export function kustomizationWorkload(object: KubeObject): { source: { namespace: string; name: string }; workload: Workload } | undefined {
  const sourceRef = asObject(object.spec?.sourceRef);
  if (sourceRef.kind !== 'OCIRepository' || !asString(sourceRef.name)) return undefined;
  const revision = asString(object.status?.lastAppliedRevision);
  const ready = condition(object, 'Ready');
  return {
    source: { namespace: asString(sourceRef.namespace) ?? namespaceOf(object), name: sourceRef.name as string },
    workload: {
      kind: 'Kustomization',
      namespace: namespaceOf(object),
      name: object.metadata.name,
      ...optional('revision', revision),
      ...optional('digest', splitRevision(revision).digest),
      ...optional('ready', withoutTime(ready)),
      ...optional('lastReconciled', ready?.at),
    },
  };
}

/**
 * helm-controller's HelmRelease: status.history[0] is the release deployed now (chartVersion, and
 * ociDigest when the chart came from an OCIRepository through chartRef).
 */
export function helmReleaseWorkload(object: KubeObject):
  | {
      source: { kind: 'OCIRepository' | 'HelmRepository'; namespace: string; name: string; chart?: string };
      workload: Workload;
    }
  | undefined {
  const spec = asObject(object.spec);
  const chartRef = asObject(spec.chartRef);
  const chartSpec = asObject(asObject(spec.chart).spec);
  const sourceRef = asObject(chartSpec.sourceRef);
  const current = asObject(asArray(object.status?.history)[0]);
  const ready = condition(object, 'Ready');
  const workload: Workload = {
    kind: 'HelmRelease',
    namespace: namespaceOf(object),
    name: object.metadata.name,
    ...optional('revision', asString(current.chartVersion)),
    ...optional('digest', asString(current.ociDigest)),
    ...optional('ready', withoutTime(ready)),
    ...optional('lastReconciled', latest(asString(current.lastDeployed), ready?.at)),
  };
  if (chartRef.kind === 'OCIRepository' && asString(chartRef.name))
    return {
      source: { kind: 'OCIRepository', namespace: asString(chartRef.namespace) ?? namespaceOf(object), name: chartRef.name as string },
      workload,
    };
  if (sourceRef.kind === 'HelmRepository' && asString(sourceRef.name) && asString(chartSpec.chart))
    return {
      source: {
        kind: 'HelmRepository',
        namespace: asString(sourceRef.namespace) ?? namespaceOf(object),
        name: sourceRef.name as string,
        chart: chartSpec.chart as string,
      },
      workload,
    };
  return undefined;
}

/**
 * An OCI HelmRepository seen through the HelmReleases that use it: one source per chart, at
 * `<url>/<chart>`, running the chart version of the release's current history entry. Helm turns
 * `+` into `_` in OCI tags, so the tag is the version so spelt.
 */
export function helmChartSource(context: string, repository: KubeObject, chart: string, releases: Workload[]): ClusterSource {
  const url = `${(asString(repository.spec?.url) ?? '').replace(/\/$/, '')}/${chart}`;
  const version = releases.find((r) => r.revision)?.revision;
  return {
    context,
    kind: 'HelmRepository',
    apiVersion: repository.apiVersion,
    namespace: namespaceOf(repository),
    name: repository.metadata.name,
    url,
    ...location(url),
    ...optional('revision', version),
    ...optional('tag', version?.replace(/\+/g, '_')),
    ...optional('ready', releases[0]?.ready),
    ...optional('lastReconciled', latest(...releases.map((r) => r.lastReconciled))),
    workloads: releases,
  };
}

export function isOciHelmRepository(object: KubeObject): boolean {
  return object.spec?.type === 'oci' || isOciUrl(asString(object.spec?.url));
}

/**
 * Argo CD's Application: each oci:// source (spec.source, or spec.sources[i] with
 * status.sync.revisions[i]) with the digest it synced, its health, and when it was reconciled.
 */
export function applicationSources(context: string, object: KubeObject): ClusterSource[] {
  const spec = asObject(object.spec);
  const status = asObject(object.status);
  const sync = asObject(status.sync);
  const multi = asArray(spec.sources).map(asObject);
  const sources = multi.length > 0 ? multi : [asObject(spec.source)];
  const revisions = multi.length > 0 ? asArray(sync.revisions).map(asString) : [asString(sync.revision)];
  const operation = asObject(status.operationState);
  return sources.flatMap((source, i) => {
    const url = asString(source.repoURL);
    if (!isOciUrl(url)) return [];
    const revision = revisions[i];
    return [
      {
        context,
        kind: 'Application' as const,
        apiVersion: object.apiVersion,
        namespace: namespaceOf(object),
        name: object.metadata.name,
        url,
        ...location(url),
        ...optional('ref', asString(source.targetRevision)),
        ...optional('revision', revision),
        ...optional('digest', splitRevision(revision).digest),
        ...optional('tag', asString(source.targetRevision)),
        ...optional('health', asString(asObject(status.health).status)),
        ...optional('sync', asString(sync.status)),
        ...optional('lastReconciled', latest(asString(status.reconciledAt), asString(operation.finishedAt))),
        workloads: [],
      },
    ];
  });
}

export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
