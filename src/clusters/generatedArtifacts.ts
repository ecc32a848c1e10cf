import type { KubeObject } from './listing';
import type { Workload } from './model';
import { asArray, asObject, asString, condition, latest, namespaceOf, optional, splitRevision, withoutTime } from './sources';

/** An OCIRepository an ArtifactGenerator builds from, with the ExternalArtifact built from it. */
export interface GeneratedFrom {
  source: { namespace: string; name: string };
  workload: Workload;
}

/**
 * source-watcher's ArtifactGenerator (`source.extensions.fluxcd.io/v1beta1`, Flux 2.7+) lists the
 * ExternalArtifacts it generated in `status.inventory[]` (name, namespace); each ExternalArtifact
 * (`source.toolkit.fluxcd.io/v1`) reports `status.artifact.revision` and a Ready condition.
 *
 * The revision is `latest@sha256:<hash of the generated files>` unless the generator's artifact sets
 * `revision: "@<alias>"`, when it is that source's own revision (fluxcd/source-watcher
 * docs/spec/v1beta1/artifactgenerators.md). Only then is its digest the OCIRepository's manifest
 * digest; a content hash is not, so it is kept as the revision and never compared with the registry.
 */
export function generatedFrom(generator: KubeObject, externalArtifacts: ReadonlyMap<string, KubeObject>): GeneratedFrom[] {
  const namespace = namespaceOf(generator);
  const spec = asObject(generator.spec);
  const ociAliases = new Map(
    asArray(spec.sources)
      .map(asObject)
      .filter((s) => s.kind === 'OCIRepository' && asString(s.name) && asString(s.alias))
      .map((s) => [s.alias as string, { namespace: asString(s.namespace) ?? namespace, name: s.name as string }]),
  );
  if (ociAliases.size === 0) return [];
  const revisionAlias = new Map(
    asArray(spec.artifacts)
      .map(asObject)
      .map((a) => [asString(a.name), asString(a.revision)?.replace(/^@/, '')] as const),
  );
  return asArray(generator.status?.inventory)
    .map(asObject)
    .flatMap((entry) => {
      const artifact = externalArtifacts.get(`${asString(entry.namespace) ?? namespace}/${asString(entry.name) ?? ''}`);
      if (!artifact) return [];
      const revision = asString(asObject(artifact.status?.artifact).revision);
      const ready = condition(artifact, 'Ready');
      const alias = revisionAlias.get(artifact.metadata.name);
      return [...ociAliases].map(([sourceAlias, source]) => ({
        source,
        workload: {
          kind: 'ExternalArtifact' as const,
          namespace: namespaceOf(artifact),
          name: artifact.metadata.name,
          ...optional('revision', revision),
          ...optional('digest', alias === sourceAlias ? splitRevision(revision).digest : undefined),
          ...optional('ready', withoutTime(ready)),
          ...optional('lastReconciled', latest(asString(asObject(artifact.status?.artifact).lastUpdateTime), ready?.at)),
          generator: `${namespace}/${generator.metadata.name}`,
        },
      }));
    });
}
