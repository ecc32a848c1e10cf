import { isIndex, MediaType, type Descriptor, type Manifest } from '../oci';

/** What an artifact is, as the explorer names it. */
export type ArtifactKind =
  | 'flux-manifests'
  | 'manifests-tarball'
  | 'oras-files'
  | 'helm-chart'
  | 'container-image'
  | 'image-index'
  | 'cosign-signature'
  | 'cosign-attestation'
  | 'sigstore-bundle'
  | 'notation-signature'
  | 'sbom-spdx'
  | 'sbom-cyclonedx'
  | 'in-toto-attestation'
  | 'unknown';

export interface Recognised {
  kind: ArtifactKind;
  /** A short human label, e.g. "Flux manifests" or "Helm chart". */
  label: string;
  /** The media types that decided it, shown for "unknown" so nothing is hidden. */
  mediaTypes: string[];
}

const LABELS: Record<ArtifactKind, string> = {
  'flux-manifests': 'Flux manifests',
  'manifests-tarball': 'Manifests tarball',
  'oras-files': 'ORAS files',
  'helm-chart': 'Helm chart',
  'container-image': 'Container image',
  'image-index': 'Image index',
  'cosign-signature': 'Cosign signature',
  'cosign-attestation': 'Cosign attestation',
  'sigstore-bundle': 'Sigstore bundle',
  'notation-signature': 'Notation signature',
  'sbom-spdx': 'SBOM (SPDX)',
  'sbom-cyclonedx': 'SBOM (CycloneDX)',
  'in-toto-attestation': 'In-toto attestation',
  unknown: 'Unknown artifact',
};

const TITLE = 'org.opencontainers.image.title';

/** Decides an artifact's kind from its manifest alone (no blob is read). */
export function recognise(manifest: Manifest, descriptor?: Pick<Descriptor, 'mediaType'>): Recognised {
  const done = (kind: ArtifactKind, mediaTypes: string[]): Recognised => ({ kind, label: LABELS[kind], mediaTypes });
  if (isIndex(manifest)) {
    const type = manifest.artifactType;
    if (type) return byArtifactType(type) ?? done('unknown', [type]);
    return done('image-index', [manifest.mediaType ?? descriptor?.mediaType ?? MediaType.OciIndex]);
  }
  const config = manifest.config?.mediaType ?? '';
  const layers = (manifest.layers ?? []).map((l) => l.mediaType);
  const type = manifest.artifactType ?? (config && config !== MediaType.OciEmpty ? config : undefined);
  const all = [...new Set([manifest.artifactType, config, ...layers].filter((t): t is string => !!t))];
  const fromType = type ? byArtifactType(type) : undefined;
  if (fromType) return fromType;
  if (config === MediaType.FluxConfig || layers.includes(MediaType.FluxContent)) return done('flux-manifests', all);
  if (config === MediaType.HelmConfig || layers.includes(MediaType.HelmChart)) return done('helm-chart', all);
  if (layers.some((l) => l === 'application/vnd.dev.cosign.simplesigning.v1+json')) return done('cosign-signature', all);
  if (config === MediaType.OciImageConfig || config === 'application/vnd.docker.container.image.v1+json')
    return done('container-image', all);
  const titled = (manifest.layers ?? []).filter((l) => l.annotations?.[TITLE]);
  if (
    titled.length > 0 &&
    titled.length === manifest.layers.length &&
    !(manifest.layers.length === 1 && manifest.layers[0].annotations?.[TITLE] === '.')
  ) {
    return done('oras-files', all);
  }
  if (layers.length === 1 && (layers[0] === MediaType.OciLayerTarGzip || layers[0] === MediaType.OciLayerTar))
    return done('manifests-tarball', all);
  return done('unknown', all);
}

function byArtifactType(type: string): Recognised | undefined {
  const done = (kind: ArtifactKind): Recognised => ({ kind, label: LABELS[kind], mediaTypes: [type] });
  if (type === 'application/vnd.dev.cosign.artifact.sig.v1+json') return done('cosign-signature');
  if (type === 'application/vnd.dev.cosign.artifact.att.v1+json') return done('cosign-attestation');
  if (type.startsWith('application/vnd.dev.sigstore.bundle')) return done('sigstore-bundle');
  if (type === 'application/vnd.cncf.notary.signature') return done('notation-signature');
  if (type.startsWith('application/spdx')) return done('sbom-spdx');
  if (type.startsWith('application/vnd.cyclonedx')) return done('sbom-cyclonedx');
  if (type.startsWith('application/vnd.in-toto')) return done('in-toto-attestation');
  if (type === MediaType.FluxConfig) return done('flux-manifests');
  if (type === MediaType.HelmConfig) return done('helm-chart');
  return undefined;
}

/** Signatures, SBOMs and attestations: shown under their subject, not as artifacts of their own. */
export function isAccessory(kind: ArtifactKind): boolean {
  return [
    'cosign-signature',
    'cosign-attestation',
    'sigstore-bundle',
    'notation-signature',
    'sbom-spdx',
    'sbom-cyclonedx',
    'in-toto-attestation',
  ].includes(kind);
}

/** Tags that stand for accessories (cosign's `.sig`/`.att`/`.sbom`, the referrers fallback), hidden from tag lists. */
export function isAccessoryTag(tag: string): boolean {
  return /^sha256-[a-f0-9]{64}(\.(sig|att|sbom))?$/.test(tag) || /^sha512-[a-f0-9]{64}(\.(sig|att|sbom))?$/.test(tag);
}
