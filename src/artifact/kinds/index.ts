import { isIndex, type Descriptor, type Manifest } from '../../oci';
import {
  cosignAttestation,
  cosignSignature,
  inTotoAttestation,
  notationSignature,
  sbomCycloneDx,
  sbomSpdx,
  sigstoreBundle,
} from './accessories';
import { MediaType } from '../../oci';
import type { AccessoryCategory, ArtifactKind, ManifestTypes } from './artifactKind';
import { fluxManifests } from './fluxManifests';
import { manifestsTarball, orasFiles, unknown } from './genericFiles';
import { helmChart } from './helmChart';
import { image, imageIndex } from './images';
import { kclModule } from './kclModule';
import { kubewardenPolicy } from './kubewardenPolicy';
import { modelPack } from './modelPack';
import { opentofuModule, opentofuProvider } from './opentofu';
import { tektonBundle } from './tektonBundle';
import { wasmModule } from './wasmModule';

export type { AccessoryCategory, ArtifactKind, FileLayer, KindFacts, ManifestTypes, SmallBlobReader } from './artifactKind';

/**
 * Every kind, in the order they are tried. Kinds named by their artifactType or config type come
 * before kinds recognised by the shape of their layers, so a typed artifact is never mistaken for
 * a generic one; `unknown` is the fallback after the table.
 */
export const ARTIFACT_KINDS: readonly ArtifactKind[] = [
  cosignSignature,
  cosignAttestation,
  sigstoreBundle,
  notationSignature,
  sbomSpdx,
  sbomCycloneDx,
  inTotoAttestation,
  fluxManifests,
  helmChart,
  tektonBundle,
  kubewardenPolicy,
  wasmModule,
  kclModule,
  opentofuModule,
  opentofuProvider,
  modelPack,
  image,
  imageIndex,
  orasFiles,
  manifestsTarball,
];

export interface Recognised {
  kind: ArtifactKind;
  /** Every media type the manifest carries: what decided it, and what "unknown" shows. */
  mediaTypes: string[];
}

export function manifestTypes(manifest: Manifest, descriptor?: Pick<Descriptor, 'mediaType'>): ManifestTypes {
  if (isIndex(manifest)) {
    const artifactType = manifest.artifactType;
    const own = manifest.mediaType ?? descriptor?.mediaType ?? MediaType.OciIndex;
    return { index: true, artifactType, layers: [], type: artifactType, all: artifactType ? [artifactType] : [own] };
  }
  const config = manifest.config?.mediaType || undefined;
  const layers = (manifest.layers ?? []).map((l) => l.mediaType);
  const artifactType = manifest.artifactType;
  const type = artifactType ?? (config && config !== MediaType.OciEmpty ? config : undefined);
  const all = [...new Set([artifactType, config, ...layers].filter((t): t is string => !!t))];
  return { index: false, artifactType, config, layers, type, all };
}

/** Decides an artifact's kind from its manifest alone (no blob is read). */
export function recognise(manifest: Manifest, descriptor?: Pick<Descriptor, 'mediaType'>): Recognised {
  const types = manifestTypes(manifest, descriptor);
  const kind = ARTIFACT_KINDS.find((k) => k.matches(types, manifest)) ?? unknown;
  return { kind, mediaTypes: types.all };
}

/** The kind of a referrer known only by its descriptor's artifactType (the referrers list gives no more). */
export function recogniseArtifactType(artifactType: string | undefined): ArtifactKind {
  if (!artifactType) return unknown;
  return recognise({ schemaVersion: 2, artifactType, config: { mediaType: MediaType.OciEmpty, digest: '', size: 2 }, layers: [] }).kind;
}

export function kindById(id: string): ArtifactKind {
  return ARTIFACT_KINDS.find((k) => k.id === id) ?? unknown;
}

export function accessoryCategory(kind: ArtifactKind): AccessoryCategory | undefined {
  return kind.accessory;
}

/** Tags that stand for accessories (cosign's `.sig`/`.att`/`.sbom`, the referrers fallback), hidden from tag lists. */
export function isAccessoryTag(tag: string): boolean {
  return /^sha256-[a-f0-9]{64}(\.(sig|att|sbom))?$/.test(tag) || /^sha512-[a-f0-9]{64}(\.(sig|att|sbom))?$/.test(tag);
}

export { unknown as UNKNOWN_KIND };
