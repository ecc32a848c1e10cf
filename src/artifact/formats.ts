import { EMPTY_DESCRIPTOR, MediaType, type Descriptor, type ImageManifest } from '../oci';

/** The layouts a folder can be pushed in. */
export type ArtifactFormat = 'default' | 'flux' | 'oras';

export const FORMAT_DESCRIPTIONS: Record<ArtifactFormat, string> = {
  default: 'One gzip tar layer of the standard OCI type: consumed unchanged by Flux and by a default Argo CD 3.1+.',
  flux: 'What `flux push artifact` writes (Flux config and content types): Flux reads it, Argo CD only if the Flux layer type is allowed.',
  oras: 'One layer per file with its title, as `oras push` stores files: for `oras pull`; not for Flux or Argo CD.',
};

/** The artifactType of our default format. */
export const MANIFESTS_ARTIFACT_TYPE = 'application/vnd.oci-gitops.manifests.v1';
export const FILES_ARTIFACT_TYPE = 'application/vnd.oci-gitops.files.v1';

export const ANNOTATION = {
  created: 'org.opencontainers.image.created',
  source: 'org.opencontainers.image.source',
  revision: 'org.opencontainers.image.revision',
  title: 'org.opencontainers.image.title',
} as const;

export function isArtifactFormat(value: string): value is ArtifactFormat {
  return value === 'default' || value === 'flux' || value === 'oras';
}

/** Builds manifest bytes; with the same inputs the bytes, and so the digest, are the same. */
export function buildManifest(
  format: ArtifactFormat,
  config: Descriptor,
  layers: Descriptor[],
  annotations: Record<string, string>,
): Buffer {
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    ...(format === 'flux' ? {} : { artifactType: format === 'oras' ? FILES_ARTIFACT_TYPE : MANIFESTS_ARTIFACT_TYPE }),
    config,
    layers,
    annotations: sortKeys(annotations),
  };
  return Buffer.from(JSON.stringify(manifest));
}

/** The config blob each format uses. */
export function configBlob(format: ArtifactFormat, created: string): { mediaType: string; bytes: Buffer } {
  if (format === 'flux') return { mediaType: MediaType.FluxConfig, bytes: Buffer.from(JSON.stringify({ created })) };
  return { mediaType: EMPTY_DESCRIPTOR.mediaType, bytes: Buffer.from('{}') };
}

export function layerMediaType(format: ArtifactFormat): string {
  return format === 'flux' ? MediaType.FluxContent : MediaType.OciLayerTarGzip;
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
