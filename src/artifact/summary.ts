import { isIndex, type Descriptor, type Manifest, type Reference, type RepositoryApi } from '../oci';
import { ANNOTATION } from './formats';
import { platformLabel } from './platformLabel';
import { recognise, type KindFacts, type Recognised } from './kinds';

/** What the explorer shows for one artifact, from its manifest (and, for Helm, its small config). */
export interface ArtifactSummary {
  descriptor: Descriptor;
  manifest: Manifest;
  kind: Recognised;
  /** Bytes of all layers (or platform manifests), the artifact's transfer size. */
  contentSize: number;
  created?: Date;
  source?: string;
  revision?: string;
  /** What the kind knows of it (a chart's name and version, a bundle's tasks), from small blobs only. */
  facts: KindFacts;
  /** The kind's one-line description of it, when the facts give one. */
  headline?: string;
  /** For an index, one label per entry in its order (see platformLabel). */
  platforms?: string[];
}

/** What one manifest of the repository is: a reference of it, or a tag or digest as a registry or user wrote it. */
export async function summarise(repo: RepositoryApi, target: Reference | string, signal?: AbortSignal): Promise<ArtifactSummary> {
  return summariseManifest(repo, await repo.fetchManifest(target, { signal }), signal);
}

/** The summary of a manifest already fetched: reads the small blob its kind needs, if any. */
export async function summariseManifest(
  repo: RepositoryApi,
  { descriptor, manifest }: { descriptor: Descriptor; manifest: Manifest },
  signal?: AbortSignal,
): Promise<ArtifactSummary> {
  const kind = recognise(manifest, descriptor);
  const annotations = manifest.annotations ?? {};
  const created = annotations[ANNOTATION.created] ? new Date(annotations[ANNOTATION.created]) : undefined;
  const summary: ArtifactSummary = {
    descriptor,
    manifest,
    kind,
    contentSize: isIndex(manifest)
      ? manifest.manifests.reduce((n, m) => n + m.size, 0)
      : (manifest.layers ?? []).reduce((n, l) => n + l.size, 0),
    created: created && !Number.isNaN(created.getTime()) ? created : undefined,
    source: annotations[ANNOTATION.source],
    revision: annotations[ANNOTATION.revision],
    facts: {},
  };
  if (isIndex(manifest)) {
    summary.platforms = manifest.manifests.map(platformLabel);
  }
  if (kind.kind.facts) {
    summary.facts = await kind.kind.facts(manifest, (blob, maxBytes) => repo.fetchBlobBytes(blob, { signal, maxBytes }));
    summary.headline = kind.kind.headline?.(summary.facts);
  }
  return summary;
}
