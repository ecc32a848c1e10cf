import { bufferSource, digestOf, EMPTY_DESCRIPTOR, MediaType, type Descriptor, type RepositoryApi } from '../oci';

/**
 * An OCI 1.1 referrer: an image manifest with an `artifactType`, the empty config, one layer and
 * a `subject`. Pushed by digest; the OCI client records it in the subject's `sha256-<hex>`
 * fallback index (keeping other tools' entries) when the registry has no referrers API.
 */
export interface ReferrerParts {
  artifactType: string;
  layer: Descriptor;
  subject: Descriptor;
  annotations: Record<string, string>;
  /** cosign (go-containerregistry) also writes the artifact type into the config descriptor. */
  artifactTypeInConfig?: boolean;
}

export function referrerManifest(parts: ReferrerParts): Buffer {
  const config: Descriptor = { mediaType: EMPTY_DESCRIPTOR.mediaType, digest: EMPTY_DESCRIPTOR.digest, size: EMPTY_DESCRIPTOR.size };
  if (parts.artifactTypeInConfig) config.artifactType = parts.artifactType;
  const subject: Descriptor = { mediaType: parts.subject.mediaType, digest: parts.subject.digest, size: parts.subject.size };
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.OciManifest,
      config,
      layers: [parts.layer],
      subject,
      annotations: parts.annotations,
      artifactType: parts.artifactType,
    }),
  );
}

/** Uploads the empty config and the layer, then the manifest by its digest. */
export async function pushReferrer(
  repo: RepositoryApi,
  parts: ReferrerParts,
  layerBytes: Buffer,
  signal?: AbortSignal,
): Promise<Descriptor> {
  await repo.pushBlob(bufferSource(Buffer.from('{}')), { signal });
  await repo.pushBlob(bufferSource(layerBytes), { signal });
  const bytes = referrerManifest(parts);
  return repo.pushManifest(bytes, MediaType.OciManifest, digestOf(bytes), { signal });
}

/** RFC 3339 in whole seconds, UTC, as Go's time.Format(time.RFC3339) prints a truncated time. */
export function rfc3339Seconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
