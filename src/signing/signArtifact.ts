import { X509Certificate, type KeyObject } from 'node:crypto';
import { DOCKER_HUB_HOST, type Descriptor, type Reference, type RepositoryApi } from '../oci';
import { appendCosignSignature, cosignSignatureLayer, type AppendResult } from './cosignSignatureTag';
import { SigningError } from './errors';
import { publicKeyHint } from './keys';
import { certificateChainProblems } from './notaryCertificateRules';
import {
  createJwsEnvelope,
  JWS_MEDIA_TYPE,
  NOTARY_SIGNATURE_ARTIFACT_TYPE,
  THUMBPRINT_ANNOTATION,
  thumbprintAnnotation,
} from './notationEnvelope';
import { pushReferrer, rfc3339Seconds } from './referrerManifest';
import { findBundleSignedBy } from './signatureDiscovery';
import { COSIGN_SIGN_PREDICATE_TYPE, createKeyBundle } from './sigstoreBundle';
import { digestOf } from '../oci';

export const SIGSTORE_BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

/**
 * Resolves what to sign to a descriptor (media type, digest, size). A tag is resolved once, and
 * from then on only the digest is used: signatures always name a digest, never a tag.
 */
export async function resolveSubject(repo: RepositoryApi, ref: Reference, signal?: AbortSignal): Promise<Descriptor> {
  const descriptor = await repo.resolve(ref, { signal });
  return { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size };
}

/** cosign's default docker-reference: the repository name as go-containerregistry spells it. */
export function dockerReference(repo: RepositoryApi): string {
  return `${repo.registry === DOCKER_HUB_HOST ? 'index.docker.io' : repo.registry}/${repo.repository}`;
}

export interface CosignSignResult {
  subject: Descriptor;
  keyHint: string;
  /** The legacy `sha256-<hex>.sig` tag (cosign 2, Flux < 1.8). */
  signatureTag: AppendResult;
  /** The Sigstore bundle referrer (cosign 3, Flux ≥ 1.8). */
  bundle: { added: boolean; digest: string };
}

/**
 * Signs with a cosign key in both formats, so every cosign and Flux version verifies it. Each
 * format is skipped when a signature by the same key for this digest is already there.
 */
export async function signWithCosignKey(
  repo: RepositoryApi,
  subject: Descriptor,
  key: KeyObject,
  options: { signal?: AbortSignal; now?: Date } = {},
): Promise<CosignSignResult> {
  const signatureTag = await appendCosignSignature(
    repo,
    subject.digest,
    key,
    cosignSignatureLayer(key, dockerReference(repo), subject.digest),
    options.signal,
  );
  const existing = await findBundleSignedBy(repo, subject.digest, key, options.signal);
  let bundle: { added: boolean; digest: string };
  if (existing) bundle = { added: false, digest: existing };
  else {
    const pushed = await pushSigstoreBundle(repo, subject, await createKeyBundle(key, subject.digest), options);
    bundle = { added: true, digest: pushed.digest };
  }
  return { subject, keyHint: publicKeyHint(key), signatureTag, bundle };
}

/** Pushes a DSSE Sigstore bundle as a referrer of `subject`, laid out as cosign 3 does (key-based and keyless alike). */
export async function pushSigstoreBundle(
  repo: RepositoryApi,
  subject: Descriptor,
  bytes: Buffer,
  options: { signal?: AbortSignal; now?: Date } = {},
): Promise<Descriptor> {
  return pushReferrer(
    repo,
    {
      artifactType: SIGSTORE_BUNDLE_MEDIA_TYPE,
      artifactTypeInConfig: true,
      layer: { mediaType: SIGSTORE_BUNDLE_MEDIA_TYPE, digest: digestOf(bytes), size: bytes.length },
      subject,
      annotations: {
        'org.opencontainers.image.created': rfc3339Seconds(options.now ?? new Date()),
        'dev.sigstore.bundle.content': 'dsse-envelope',
        'dev.sigstore.bundle.predicateType': COSIGN_SIGN_PREDICATE_TYPE,
      },
    },
    bytes,
    options.signal,
  );
}

export interface NotationSignResult {
  subject: Descriptor;
  digest: string;
  signer: string;
}

/**
 * Signs with a notation key and certificate chain: a JWS envelope referrer with the thumbprint
 * annotation. The chain is checked against Notary Project's rules first, since notation would
 * reject a signature made with a certificate that breaks them.
 */
export async function signWithNotation(
  repo: RepositoryApi,
  subject: Descriptor,
  key: KeyObject,
  chain: Buffer[],
  options: { signal?: AbortSignal; now?: Date; expiry?: Date } = {},
): Promise<NotationSignResult> {
  const now = options.now ?? new Date();
  const problems = certificateChainProblems(chain, now);
  if (problems.length > 0)
    throw new SigningError(
      'CERTIFICATE_INVALID',
      `The notation certificate chain breaks Notary Project rules: ${problems.join('; ')}`,
      'Use "Generate Test Certificate…" (oci-gitops has no keygen for notation) or a code-signing certificate from your CA',
    );
  const envelope = createJwsEnvelope({ target: subject, key, chain, signingTime: now, expiry: options.expiry, signingAgent: 'oci-gitops' });
  const pushed = await pushReferrer(
    repo,
    {
      artifactType: NOTARY_SIGNATURE_ARTIFACT_TYPE,
      layer: { mediaType: JWS_MEDIA_TYPE, digest: digestOf(envelope), size: envelope.length },
      subject,
      annotations: { [THUMBPRINT_ANNOTATION]: thumbprintAnnotation(chain), 'org.opencontainers.image.created': rfc3339Seconds(now) },
    },
    envelope,
    options.signal,
  );
  return { subject, digest: pushed.digest, signer: new X509Certificate(chain[0]).subject.replace(/\n/g, ', ') };
}
