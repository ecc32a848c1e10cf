import type { KeyObject } from 'node:crypto';
import {
  bufferSource,
  digestOf,
  isOciError,
  MediaType,
  type Descriptor,
  type ImageManifest,
  type RepositoryApi,
  formatReference,
  tagged,
} from '../oci';
import { SigningError } from './errors';
import { cosignSign, cosignVerify } from './keys';
import { SIMPLE_SIGNING_MEDIA_TYPE, simpleSigningPayload } from './simpleSigning';

/**
 * Cosign's legacy signature storage (specs/SIGNATURE_SPEC.md, pkg/oci/remote/write.go): an OCI
 * image manifest tagged `sha256-<hex>.sig` in the artifact's repository, one layer per signature.
 * Each layer is the simple-signing payload; its `dev.cosignproject.cosign/signature` annotation is
 * the base64 DER signature over exactly those bytes.
 */
export const COSIGN_SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
/**
 * What cosign 2 adds to a keyless layer (pkg/oci/static/signature.go): the Fulcio certificate and
 * its chain (PEM), and the Rekor entry it was logged as, with the log's signed entry timestamp
 * (pkg/cosign/bundle/rekor.go RekorBundle, as JSON).
 */
export const COSIGN_CERTIFICATE_ANNOTATION = 'dev.sigstore.cosign/certificate';
export const COSIGN_CHAIN_ANNOTATION = 'dev.sigstore.cosign/chain';
export const COSIGN_REKOR_BUNDLE_ANNOTATION = 'dev.sigstore.cosign/bundle';
/** cosign's mutate.AppendSignatures limit. */
const MAX_SIGNATURE_LAYERS = 1000;
const MAX_ATTEMPTS = 5;

export function signatureTagFor(digest: string): string {
  const [algorithm, hex] = digest.split(':', 2);
  return `${algorithm}-${hex}.sig`;
}

export interface SignatureLayer {
  descriptor: Descriptor;
  payload: Buffer;
}

/** A new signature layer: payload and signature made by `key` for `digest`. */
export function cosignSignatureLayer(key: KeyObject, dockerReference: string, digest: string): SignatureLayer {
  const payload = simpleSigningPayload(dockerReference, digest);
  const signature = cosignSign(key, payload).toString('base64');
  return {
    payload,
    descriptor: {
      mediaType: SIMPLE_SIGNING_MEDIA_TYPE,
      size: payload.length,
      digest: digestOf(payload),
      annotations: { [COSIGN_SIGNATURE_ANNOTATION]: signature },
    },
  };
}

/**
 * The go-containerregistry "empty image" config cosign writes, with one diff_id and one empty
 * history entry per (uncompressed) layer. No verifier reads it, but registries and tools that
 * treat the `.sig` tag as an image expect a well-formed config.
 */
export function signatureConfig(layers: Descriptor[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: '',
      created: '0001-01-01T00:00:00Z',
      history: layers.map(() => ({ created: '0001-01-01T00:00:00Z' })),
      os: '',
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
      config: {},
    }),
  );
}

export function signatureManifest(config: Buffer, layers: Descriptor[]): Buffer {
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config: { mediaType: MediaType.OciImageConfig, size: config.length, digest: digestOf(config) },
    layers,
  };
  return Buffer.from(JSON.stringify(manifest));
}

export interface AppendResult {
  /** False when a signature by the same key for the same payload was already there. */
  added: boolean;
  tag: string;
  manifest: Descriptor;
  layers: number;
}

/**
 * Appends `layer` to the `.sig` manifest of `digest`, keeping every earlier signature. Like
 * cosign's dupe detector (pkg/cosign/remote/remote.go), an existing layer with the same payload
 * and media type whose signature verifies with `key` makes this a no-op; ECDSA is randomised, so
 * that is decided by verifying, not by comparing bytes. Registries have no compare-and-swap: the
 * tag is read back after writing, and the merge is redone if another writer replaced it.
 */
export async function appendCosignSignature(
  repo: RepositoryApi,
  digest: string,
  key: KeyObject,
  layer: SignatureLayer,
  signal?: AbortSignal,
): Promise<AppendResult> {
  const tag = signatureTagFor(digest);
  await repo.pushBlob(bufferSource(layer.payload), { signal });
  // Writers in this process take turns on a tag; across processes the read-back below is what
  // detects (most) lost updates, since the registry cannot compare-and-swap.
  return withTagLock(`${formatReference(tagged(repo, tag))}`, () => appendLocked(repo, tag, key, layer, signal));
}

const tagLocks = new Map<string, Promise<unknown>>();

async function withTagLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  const previous = tagLocks.get(name) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(work);
  tagLocks.set(name, current);
  try {
    return await current;
  } finally {
    if (tagLocks.get(name) === current) tagLocks.delete(name);
  }
}

async function appendLocked(
  repo: RepositoryApi,
  tag: string,
  key: KeyObject,
  layer: SignatureLayer,
  signal?: AbortSignal,
): Promise<AppendResult> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const existing = await readSignatureLayers(repo, tag, signal);
    const duplicate = existing?.layers.find((l) => isSameKeySignature(l, layer, key));
    if (duplicate && existing) return { added: false, tag, manifest: existing.descriptor, layers: existing.layers.length };
    const layers = [...(existing?.layers ?? []), layer.descriptor];
    if (layers.length > MAX_SIGNATURE_LAYERS) {
      throw new SigningError(
        'CONFLICT',
        `${formatReference(tagged(repo, tag))} already holds ${MAX_SIGNATURE_LAYERS} signatures, cosign's limit`,
        'Remove old signatures before adding more',
      );
    }
    const config = signatureConfig(layers);
    await repo.pushBlob(bufferSource(config), { signal });
    const descriptor = await repo.pushManifest(signatureManifest(config, layers), MediaType.OciManifest, tag, { signal });
    // Read back after a short pause, so a writer that read before our PUT and writes after it is seen.
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30));
    const after = await readSignatureLayers(repo, tag, signal);
    if (
      after?.layers.some(
        (l) =>
          l.digest === layer.descriptor.digest &&
          l.annotations?.[COSIGN_SIGNATURE_ANNOTATION] === layer.descriptor.annotations?.[COSIGN_SIGNATURE_ANNOTATION],
      )
    ) {
      return { added: true, tag, manifest: descriptor, layers: layers.length };
    }
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
  }
  throw new SigningError(
    'CONFLICT',
    `Could not add the signature to ${formatReference(tagged(repo, tag))}: other writers kept replacing the tag`,
    'Retry when other signing jobs have finished',
  );
}

function isSameKeySignature(existing: Descriptor, layer: SignatureLayer, key: KeyObject): boolean {
  if (existing.mediaType !== layer.descriptor.mediaType || existing.digest !== layer.descriptor.digest) return false;
  const others = (d: Descriptor) =>
    JSON.stringify(
      Object.entries(d.annotations ?? {})
        .filter(([k]) => k !== COSIGN_SIGNATURE_ANNOTATION)
        .sort(),
    );
  if (others(existing) !== others(layer.descriptor)) return false;
  const signature = existing.annotations?.[COSIGN_SIGNATURE_ANNOTATION];
  return typeof signature === 'string' && cosignVerify(key, layer.payload, Buffer.from(signature, 'base64'));
}

/** The layers of a `.sig` manifest, or undefined when the tag does not exist. */
export async function readSignatureLayers(
  repo: RepositoryApi,
  tag: string,
  signal?: AbortSignal,
): Promise<{ descriptor: Descriptor; layers: Descriptor[] } | undefined> {
  try {
    const fetched = await repo.fetchManifest(tag, { signal });
    const manifest = fetched.manifest as ImageManifest;
    if (!Array.isArray(manifest.layers))
      throw new SigningError(
        'SIGNATURE_INVALID',
        `${formatReference(tagged(repo, tag))} is not an image manifest, so it is not a cosign signature`,
      );
    return { descriptor: fetched.descriptor, layers: manifest.layers };
  } catch (error) {
    if (isOciError(error, 'MANIFEST_UNKNOWN') || isOciError(error, 'NAME_UNKNOWN')) return undefined;
    throw error;
  }
}
