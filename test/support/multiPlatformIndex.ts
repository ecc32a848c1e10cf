import { gzipSync } from 'node:zlib';
import { bufferSource, digestOf, MediaType, type Descriptor, type ImageManifest, type Platform, type RepositoryApi } from '../../src/oci';

/** One platform's image in a multi-platform index: its layer's media type and text. */
export interface PlatformImage {
  platform: Platform;
  layerMediaType?: string;
  content?: string;
  /** Another config than the image config naming the platform (a Helm chart's, for a chart index). */
  config?: { mediaType: string; data: object };
}

/**
 * Pushes a multi-platform image index laid out as `docker buildx build --platform …` with its
 * default provenance writes it: one image manifest per platform (an image config naming the
 * platform, one tar+gzip layer), each followed by an attestation manifest whose platform is
 * `unknown/unknown` and whose annotations point at the image it describes. Returns the index and
 * each platform's manifest, in order.
 */
export async function pushMultiPlatformIndex(
  repo: RepositoryApi,
  tag: string,
  images: PlatformImage[],
): Promise<{ index: Descriptor; images: Descriptor[] }> {
  const entries: Descriptor[] = [];
  const pushed: Descriptor[] = [];
  for (const image of images) {
    const manifest = await pushImage(repo, {
      config: image.config?.data ?? {
        architecture: image.platform.architecture,
        os: image.platform.os,
        rootfs: { type: 'layers', diff_ids: [] },
      },
      configMediaType: image.config?.mediaType,
      layerMediaType: image.layerMediaType ?? MediaType.OciLayerTarGzip,
      layer: gzipSync(Buffer.from(image.content ?? `kind: ConfigMap # ${image.platform.os}/${image.platform.architecture}\n`)),
    });
    const attestation = await pushImage(repo, {
      config: { architecture: 'unknown', os: 'unknown', rootfs: { type: 'layers', diff_ids: [] } },
      layerMediaType: 'application/vnd.in-toto+json',
      layer: Buffer.from('{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://slsa.dev/provenance/v0.2"}'),
      layerAnnotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' },
    });
    pushed.push(manifest);
    entries.push({ ...manifest, platform: { ...image.platform } });
    entries.push({
      ...attestation,
      platform: { architecture: 'unknown', os: 'unknown' },
      annotations: { 'vnd.docker.reference.digest': manifest.digest, 'vnd.docker.reference.type': 'attestation-manifest' },
    });
  }
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: entries }));
  return { index: await repo.pushManifest(bytes, MediaType.OciIndex, tag), images: pushed };
}

async function pushImage(
  repo: RepositoryApi,
  spec: { config: object; configMediaType?: string; layerMediaType: string; layer: Buffer; layerAnnotations?: Record<string, string> },
): Promise<Descriptor> {
  const config = Buffer.from(JSON.stringify(spec.config));
  await repo.pushBlob(bufferSource(config));
  await repo.pushBlob(bufferSource(spec.layer));
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config: {
      mediaType: spec.configMediaType ?? 'application/vnd.oci.image.config.v1+json',
      digest: digestOf(config),
      size: config.length,
    },
    layers: [
      {
        mediaType: spec.layerMediaType,
        digest: digestOf(spec.layer),
        size: spec.layer.length,
        ...(spec.layerAnnotations ? { annotations: spec.layerAnnotations } : {}),
      },
    ],
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  return repo.pushManifest(bytes, MediaType.OciManifest, digestOf(bytes));
}
