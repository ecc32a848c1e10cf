import type { KubeConfig } from '@kubernetes/client-node';
import { errorMessage } from '../text/format';
import { generatedFrom } from './generatedArtifacts';
import { imageVolumeSources } from './imageVolumes';
import {
  APPLICATION,
  ARTIFACT_GENERATOR,
  EXTERNAL_ARTIFACT,
  HELM_RELEASE,
  HELM_REPOSITORY,
  KUSTOMIZATION,
  OCI_REPOSITORY,
  POD,
  type ClusterKind,
} from './kinds';
import { isStatus, listKind, readableNamespaces, type KindListing, type ListScope } from './listing';
import type { ClusterSource, ContextReading, Workload } from './model';
import {
  applicationSources,
  helmChartSource,
  helmReleaseWorkload,
  isOciHelmRepository,
  kustomizationWorkload,
  ociRepositorySource,
} from './sources';

export interface ReadContextOptions {
  context: string;
  config: KubeConfig;
  server?: string;
  namespace?: string;
  /** The whole read of this context, credentials included, must finish within this. */
  timeoutMs: number;
}

/**
 * Reads one context's OCI sources and what applies them. Never rejects: a context that cannot be
 * read (unreachable, too slow, unauthorised) comes back with its error, so the other contexts stand.
 */
export async function readContext(options: ReadContextOptions): Promise<ContextReading> {
  const started = Date.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  const base = {
    context: options.context,
    ...(options.server ? { server: options.server } : {}),
    readAt: new Date(started).toISOString(),
  };
  let namespaces: Promise<string[]> | undefined;
  const scope: ListScope = {
    config: options.config,
    signal: controller.signal,
    namespaces: () => (namespaces ??= readableNamespaces(options.config, controller.signal, options.namespace ?? 'default')),
  };
  try {
    // The first list alone: it fetches the credentials (an exec plugin runs once, then its token is
    // cached); the other kinds then in parallel.
    const first = await listKind(OCI_REPOSITORY, scope);
    const rest = [HELM_REPOSITORY, KUSTOMIZATION, HELM_RELEASE, APPLICATION, ARTIFACT_GENERATOR, EXTERNAL_ARTIFACT, POD];
    const listings = new Map<ClusterKind, KindListing>([
      [OCI_REPOSITORY, first],
      ...(await Promise.all(rest.map(async (kind) => [kind, await listKind(kind, scope)] as const))),
    ]);
    return {
      ...base,
      sources: assemble(options.context, listings),
      forbidden: forbiddenByNamespace(listings),
      missingKinds: [...listings].filter(([, l]) => l.missing).map(([k]) => k.kind),
      elapsedMs: Date.now() - started,
    };
  } catch (error) {
    return {
      ...base,
      sources: [],
      forbidden: [],
      missingKinds: [],
      error: controller.signal.aborted ? `no answer within ${Math.round(options.timeoutMs / 1000)} s` : describe(error),
      elapsedMs: Date.now() - started,
    };
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  if (isStatus(error, 401))
    return 'the API server refused the credentials (401 Unauthorized): sign in again, or check the user of this context';
  return errorMessage(error);
}

function assemble(context: string, listings: Map<ClusterKind, KindListing>): ClusterSource[] {
  const key = (namespace: string, name: string) => `${namespace}/${name}`;
  const oci = new Map(
    listings
      .get(OCI_REPOSITORY)!
      .items.map((o) => [key(o.metadata.namespace ?? 'default', o.metadata.name), ociRepositorySource(context, o)]),
  );
  const helmRepositories = new Map(
    listings
      .get(HELM_REPOSITORY)!
      .items.filter(isOciHelmRepository)
      .map((o) => [key(o.metadata.namespace ?? 'default', o.metadata.name), o]),
  );
  const charts = new Map<string, { repository: string; chart: string; releases: Workload[] }>();
  for (const object of listings.get(KUSTOMIZATION)!.items) {
    const found = kustomizationWorkload(object);
    if (found) oci.get(key(found.source.namespace, found.source.name))?.workloads.push(found.workload);
  }
  for (const object of listings.get(HELM_RELEASE)!.items) {
    const found = helmReleaseWorkload(object);
    if (!found) continue;
    const repositoryKey = key(found.source.namespace, found.source.name);
    if (found.source.kind === 'OCIRepository') oci.get(repositoryKey)?.workloads.push(found.workload);
    else if (helmRepositories.has(repositoryKey)) {
      const chartKey = `${repositoryKey}/${found.source.chart}`;
      const entry = charts.get(chartKey) ?? { repository: repositoryKey, chart: found.source.chart!, releases: [] };
      entry.releases.push(found.workload);
      charts.set(chartKey, entry);
    }
  }
  const externalArtifacts = new Map(
    listings.get(EXTERNAL_ARTIFACT)!.items.map((o) => [key(o.metadata.namespace ?? 'default', o.metadata.name), o]),
  );
  for (const generator of listings.get(ARTIFACT_GENERATOR)!.items)
    for (const found of generatedFrom(generator, externalArtifacts))
      oci.get(key(found.source.namespace, found.source.name))?.workloads.push(found.workload);
  return [
    ...oci.values(),
    ...[...charts.values()].map((c) => helmChartSource(context, helmRepositories.get(c.repository)!, c.chart, c.releases)),
    ...listings.get(APPLICATION)!.items.flatMap((o) => applicationSources(context, o)),
    ...listings.get(POD)!.items.flatMap((o) => imageVolumeSources(context, o)),
  ].sort((a, b) => a.kind.localeCompare(b.kind) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

function forbiddenByNamespace(listings: Map<ClusterKind, KindListing>): ContextReading['forbidden'] {
  const byNamespace = new Map<string, string[]>();
  for (const [kind, listing] of listings)
    for (const namespace of listing.forbidden) byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), kind.kind]);
  return [...byNamespace].sort(([a], [b]) => a.localeCompare(b)).map(([namespace, kinds]) => ({ namespace, kinds }));
}
