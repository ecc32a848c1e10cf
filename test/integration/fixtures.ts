import {
  bufferSource,
  digestOf,
  EMPTY_DESCRIPTOR,
  MediaType,
  type Descriptor,
  type ImageManifest,
  type RepositoryApi,
} from '../../src/oci';

export interface ArtifactSpec {
  files?: Record<string, string>;
  artifactType?: string;
  annotations?: Record<string, string>;
  subject?: Descriptor;
}

/** Builds the manifest of a small artifact: one layer per file, empty config, as ORAS does. */
export function artifactManifest(spec: ArtifactSpec): { manifest: ImageManifest; bytes: Buffer; blobs: Buffer[] } {
  const blobs = Object.values(spec.files ?? { 'a.yaml': 'a: 1\n' }).map((content) => Buffer.from(content));
  const names = Object.keys(spec.files ?? { 'a.yaml': '' });
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    artifactType: spec.artifactType ?? 'application/vnd.oci-gitops.test.v1',
    config: { ...EMPTY_DESCRIPTOR },
    layers: blobs.map((blob, i) => ({
      mediaType: 'application/yaml',
      digest: digestOf(blob),
      size: blob.length,
      annotations: { 'org.opencontainers.image.title': names[i] },
    })),
  };
  if (spec.subject) manifest.subject = { mediaType: spec.subject.mediaType, digest: spec.subject.digest, size: spec.subject.size };
  if (spec.annotations) manifest.annotations = spec.annotations;
  return { manifest, bytes: Buffer.from(JSON.stringify(manifest)), blobs };
}

/** Uploads an artifact's blobs and manifest; returns the manifest's descriptor. */
export async function pushArtifact(repo: RepositoryApi, reference: string | undefined, spec: ArtifactSpec = {}): Promise<Descriptor> {
  const { bytes, blobs } = artifactManifest(spec);
  await repo.pushBlob(bufferSource(Buffer.from('{}')));
  for (const blob of blobs) await repo.pushBlob(bufferSource(blob));
  return repo.pushManifest(bytes, MediaType.OciManifest, reference ?? digestOf(bytes));
}

/** Deterministic pseudo-random bytes, so a test's blob is the same on every run. */
export function patternBytes(size: number, seed = 1): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
