import type { KeyObject } from 'node:crypto';
import type { Descriptor, ImageManifest, RepositoryApi } from '../oci';
import {
  COSIGN_CERTIFICATE_ANNOTATION,
  COSIGN_REKOR_BUNDLE_ANNOTATION,
  COSIGN_SIGNATURE_ANNOTATION,
  readSignatureLayers,
  signatureTagFor,
} from './cosignSignatureTag';
import { NOTARY_SIGNATURE_ARTIFACT_TYPE } from './notationEnvelope';
import { SIMPLE_SIGNING_MEDIA_TYPE } from './simpleSigning';
import { verifyKeyBundle } from './sigstoreBundle';

/** Every signature attached to a digest, with the bytes needed to verify it. */
export type FoundSignature =
  | {
      format: 'cosign';
      location: string;
      manifestDigest: string;
      payload: Buffer;
      signature: string | undefined;
      /** Keyless (cosign 2 without a key): the Fulcio certificate (PEM) and the Rekor bundle (JSON) of the layer's annotations. */
      certificate?: string;
      rekorBundle?: string;
    }
  | { format: 'sigstore-bundle'; location: string; manifestDigest: string; bundle?: Buffer; problem?: string }
  | { format: 'notation'; location: string; manifestDigest: string; envelope?: Buffer; problem?: string };

const MAX_PAYLOAD = 1024 * 1024;
/** notation's limit for a signature blob. */
const MAX_ENVELOPE = 32 * 1024 * 1024;
const BUNDLE_PREFIX = 'application/vnd.dev.sigstore.bundle';

export function isBundleArtifactType(type: string | undefined): boolean {
  return type?.startsWith(BUNDLE_PREFIX) ?? false;
}

/**
 * Finds what cosign and notation would look at: the layers of the `sha256-<hex>.sig` tag, and the
 * referrers (API or fallback tag) that are Sigstore bundles or Notary signatures.
 */
export async function discoverSignatures(repo: RepositoryApi, digest: string, signal?: AbortSignal): Promise<FoundSignature[]> {
  const found: FoundSignature[] = [];
  const tag = signatureTagFor(digest);
  const sig = await readSignatureLayers(repo, tag, signal);
  for (const [index, layer] of (sig?.layers ?? []).entries()) {
    if (layer.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE) continue;
    const payload = await repo.fetchBlobBytes(layer, { signal, maxBytes: MAX_PAYLOAD });
    const certificate = layer.annotations?.[COSIGN_CERTIFICATE_ANNOTATION];
    const rekorBundle = layer.annotations?.[COSIGN_REKOR_BUNDLE_ANNOTATION];
    found.push({
      format: 'cosign',
      location: `${tag} layer ${index + 1} of ${sig!.layers.length}`,
      manifestDigest: sig!.descriptor.digest,
      payload,
      signature: layer.annotations?.[COSIGN_SIGNATURE_ANNOTATION],
      ...(certificate ? { certificate } : {}),
      ...(rekorBundle ? { rekorBundle } : {}),
    });
  }
  for (const referrer of await repo.referrers(digest, { signal })) {
    if (isBundleArtifactType(referrer.artifactType))
      found.push({
        format: 'sigstore-bundle',
        location: `referrer ${referrer.digest}`,
        manifestDigest: referrer.digest,
        ...(await singleLayer(repo, referrer, BUNDLE_PREFIX, MAX_PAYLOAD, signal, 'bundle')),
      });
    else if (referrer.artifactType === NOTARY_SIGNATURE_ARTIFACT_TYPE) {
      const { bundle, problem } = await singleLayer(repo, referrer, 'application/jose+json', MAX_ENVELOPE, signal, 'envelope');
      found.push({
        format: 'notation',
        location: `referrer ${referrer.digest}`,
        manifestDigest: referrer.digest,
        envelope: bundle,
        problem,
      });
    }
  }
  return found;
}

/** cosign keeps a bundle referrer only with exactly one bundle layer; notation needs exactly one envelope layer. */
async function singleLayer(
  repo: RepositoryApi,
  referrer: Descriptor,
  mediaTypePrefix: string,
  maxBytes: number,
  signal: AbortSignal | undefined,
  what: string,
): Promise<{ bundle?: Buffer; problem?: string }> {
  const { manifest } = await repo.fetchManifest(referrer.digest, { signal });
  const layers = (manifest as ImageManifest).layers ?? [];
  if (layers.length !== 1) return { problem: `the referrer has ${layers.length} layers; a signature ${what} referrer has exactly one` };
  if (!layers[0].mediaType.startsWith(mediaTypePrefix))
    return { problem: `the referrer's layer is ${layers[0].mediaType}, not a signature ${what}` };
  return { bundle: await repo.fetchBlobBytes(layers[0], { signal, maxBytes }) };
}

/** The digest of a bundle referrer of `digest` that `key` already signed, if any (so it is not signed twice). */
export async function findBundleSignedBy(
  repo: RepositoryApi,
  digest: string,
  key: KeyObject,
  signal?: AbortSignal,
): Promise<string | undefined> {
  for (const found of await discoverSignatures(repo, digest, signal)) {
    if (found.format === 'sigstore-bundle' && found.bundle && verifyKeyBundle(found.bundle, digest, key).ok) return found.manifestDigest;
  }
  return undefined;
}
