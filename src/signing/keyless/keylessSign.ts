import { bundleToJSON, type SerializedBundle } from '@sigstore/bundle';
import { DSSEBundleBuilder, FulcioSigner, RekorWitness } from '@sigstore/sign';
import type { Descriptor, RepositoryApi } from '../../oci';
import { SigningError } from '../errors';
import { pushSigstoreBundle } from '../signArtifact';
import { inTotoStatement, IN_TOTO_PAYLOAD_TYPE } from '../sigstoreBundle';
import { certificateIdentity, type SignerIdentity } from './identity';
import { redactToken, tokenIdentity } from './identityToken';

export const DEFAULT_FULCIO_URL = 'https://fulcio.sigstore.dev';
export const DEFAULT_REKOR_URL = 'https://rekor.sigstore.dev';

export interface KeylessSignOptions {
  /** An OIDC identity token (JWT) Fulcio accepts. Never logged, never part of an error. */
  identityToken: string;
  fulcioURL?: string;
  rekorURL?: string;
  signal?: AbortSignal;
  now?: Date;
  /** Per request to Fulcio and Rekor (default 30 s). */
  timeoutMs?: number;
}

export interface KeylessSignResult {
  subject: Descriptor;
  /** The bundle referrer pushed for the subject's digest. */
  bundle: { digest: string };
  /** Who the Fulcio certificate says signed. */
  identity: SignerIdentity;
  /** The Rekor entry that witnesses the signature. */
  tlogEntry: { logIndex: string; integratedTime: string };
}

/**
 * Signs `subject` the way `cosign sign` does without a key: an ephemeral P-256 key gets a
 * short-lived Fulcio certificate for the token's identity, signs the same in-toto statement as
 * key-based signing (DSSE), the signature is entered in Rekor, and the resulting Sigstore bundle
 * v0.3 is pushed as a referrer of the digest (never a tag), laid out exactly like the key-based
 * bundle so cosign 3 and Flux ≥1.8 find it.
 */
export async function signKeyless(repo: RepositoryApi, subject: Descriptor, options: KeylessSignOptions): Promise<KeylessSignResult> {
  const token = options.identityToken.trim();
  // Fails before any network call on a token Fulcio would refuse, with an error that omits it.
  const expected = tokenIdentity(token, options.now);
  options.signal?.throwIfAborted();
  const fulcioURL = options.fulcioURL ?? DEFAULT_FULCIO_URL;
  const rekorURL = options.rekorURL ?? DEFAULT_REKOR_URL;
  const timeout = options.timeoutMs ?? 30_000;
  const builder = new DSSEBundleBuilder({
    signer: new FulcioSigner({ identityProvider: { getToken: async () => token }, fulcioBaseURL: fulcioURL, timeout, retry: 2 }),
    // `dsse` entries are what cosign 3 / sigstore-go write for DSSE bundles; on a 409 (entry
    // already there) fetch the existing entry rather than fail.
    witnesses: [new RekorWitness({ rekorBaseURL: rekorURL, entryType: 'dsse', fetchOnConflict: true, timeout, retry: 2 })],
  });
  let serialized: SerializedBundle;
  try {
    const bundle = await abortable(builder.create({ data: inTotoStatement(subject.digest), type: IN_TOTO_PAYLOAD_TYPE }), options.signal);
    serialized = bundleToJSON(bundle);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw signingServiceError(error, token, fulcioURL, rekorURL);
  }
  const rawCertificate = serialized.verificationMaterial.certificate?.rawBytes;
  const entry = serialized.verificationMaterial.tlogEntries[0];
  if (!rawCertificate || !entry)
    throw new SigningError(
      'SIGNATURE_INVALID',
      `Fulcio (${fulcioURL}) and Rekor (${rekorURL}) answered, but the bundle lacks a certificate or a transparency-log entry`,
      'Check that both URLs point at Sigstore services',
    );
  const { subject: san, issuer } = certificateIdentity(Buffer.from(rawCertificate, 'base64'));
  const identity = { subject: san ?? expected.subject, issuer: issuer ?? expected.issuer };
  const bytes = Buffer.from(JSON.stringify(serialized));
  const pushed = await pushSigstoreBundle(repo, subject, bytes, { signal: options.signal, now: options.now });
  return {
    subject,
    bundle: { digest: pushed.digest },
    identity,
    tlogEntry: { logIndex: entry.logIndex, integratedTime: entry.integratedTime },
  };
}

/** Turns @sigstore/sign's InternalError (code + cause) into a SigningError that says which service failed. */
function signingServiceError(error: unknown, token: string, fulcioURL: string, rekorURL: string): SigningError {
  const e = error as { code?: string; message?: string; cause?: { message?: string; statusCode?: number } };
  const detail = redactToken([e.message, e.cause?.message].filter(Boolean).join(': '), token);
  switch (e.code) {
    case 'CA_CREATE_SIGNING_CERTIFICATE_ERROR':
      return new SigningError(
        'CERTIFICATE_INVALID',
        `Fulcio (${fulcioURL}) did not issue a signing certificate: ${detail}`,
        "Check the Fulcio URL, and that this Fulcio trusts the token's issuer and the token is fresh",
      );
    case 'TLOG_CREATE_ENTRY_ERROR':
    case 'TLOG_FETCH_ENTRY_ERROR':
      return new SigningError(
        'SIGNATURE_INVALID',
        `Rekor (${rekorURL}) did not record the signature: ${detail}`,
        'Check the Rekor URL and try again; nothing was pushed to the registry',
      );
    case 'IDENTITY_TOKEN_READ_ERROR':
    case 'IDENTITY_TOKEN_PARSE_ERROR':
      return new SigningError(
        'KEY_INVALID',
        'The OIDC identity token could not be used for Fulcio',
        'Pass a fresh token from your OIDC provider',
      );
    default:
      return new SigningError(
        'SIGNATURE_INVALID',
        `Keyless signing failed: ${detail || String(error)}`,
        'Nothing was pushed to the registry',
      );
  }
}

function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error('aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
