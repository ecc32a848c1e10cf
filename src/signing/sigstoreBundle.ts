import type { KeyObject } from 'node:crypto';
import { bundleFromJSON, bundleToJSON, BUNDLE_V03_MEDIA_TYPE, type SerializedBundle } from '@sigstore/bundle';
import { DSSEBundleBuilder, type Signer } from '@sigstore/sign';
import { toSignedEntity, Verifier, type TrustMaterial } from '@sigstore/verify';
import { cosignSign, publicKeyHint, publicKeyPem } from './keys';
import { sshFingerprint } from './sshFingerprint';
import { errorMessage } from '../text/format';

/**
 * Cosign v3's signature format (cmd/cosign/cli/sign/sign.go signDigestBundle): a Sigstore bundle
 * v0.3 holding a DSSE envelope over an in-toto Statement v1 whose subject is the image digest.
 * Key-only: no certificate, no transparency-log entry, no timestamp.
 */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const COSIGN_SIGN_PREDICATE_TYPE = 'https://sigstore.dev/cosign/sign/v1';

export function inTotoStatement(digest: string): Buffer {
  const [algorithm, hex] = digest.split(':', 2);
  return Buffer.from(
    JSON.stringify({
      _type: IN_TOTO_STATEMENT_TYPE,
      subject: [{ digest: { [algorithm]: hex } }],
      predicateType: COSIGN_SIGN_PREDICATE_TYPE,
      predicate: {},
    }),
  );
}

/**
 * Signs the statement with a local key through @sigstore/sign's DSSE builder (which computes the
 * DSSE pre-authentication encoding). The Signer returns no hint on purpose: the builder would copy
 * it into the DSSE `keyid`, and sigstore-go (cosign 3, Flux ≥1.8) then skips the signature because
 * that keyid differs from the SSH fingerprint it derives. The hint goes only into
 * verificationMaterial, where cosign writes it.
 */
export async function createKeyBundle(key: KeyObject, digest: string): Promise<Buffer> {
  const signer: Signer = {
    sign: async (data) => ({ signature: cosignSign(key, data), key: { $case: 'publicKey', publicKey: publicKeyPem(key) } }),
  };
  const bundle = await new DSSEBundleBuilder({ signer, witnesses: [] }).create({
    data: inTotoStatement(digest),
    type: IN_TOTO_PAYLOAD_TYPE,
  });
  const json: Record<string, unknown> = { ...bundleToJSON(bundle) };
  // Lay it out as cosign does: a public-key hint, and no empty tlog / timestamp sections.
  json.verificationMaterial = { publicKey: { hint: publicKeyHint(key) } };
  return Buffer.from(JSON.stringify(json));
}

/**
 * The checks every cosign 3 bundle must pass before its signature is looked at: JSON, a v0.3
 * media type, a DSSE envelope (not a message signature) carrying an in-toto statement.
 */
export function readDsseBundle(
  bundleBytes: Buffer,
): { serialized: SerializedBundle; envelope: NonNullable<SerializedBundle['dsseEnvelope']> } | { reason: string } {
  let serialized: SerializedBundle;
  try {
    serialized = JSON.parse(bundleBytes.toString('utf8')) as SerializedBundle;
  } catch {
    return { reason: 'the bundle is not JSON' };
  }
  const versionProblem = bundleVersionProblem(serialized.mediaType);
  if (versionProblem) return { reason: versionProblem };
  const envelope = serialized.dsseEnvelope;
  if (!envelope) return { reason: 'bundle does not contain a DSSE envelope (cosign 3 rejects message-signature bundles)' };
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    return { reason: `the DSSE payload type is ${JSON.stringify(envelope.payloadType)}, not ${IN_TOTO_PAYLOAD_TYPE}` };
  return { serialized, envelope };
}

export interface BundleCheck {
  ok: boolean;
  reason: string;
}

/**
 * What cosign 3 and Flux ≥1.8 check with a key (pkg/cosign/verify.go): a v0.3+ bundle with a
 * DSSE envelope, the signature over the PAE verifying with the key (@sigstore/verify, key-only
 * trust material, every threshold 0 as --insecure-ignore-tlog does), an in-toto statement whose
 * sha256 subject is the image digest, and a DSSE keyid that is empty or the key's SSH fingerprint.
 */
export function verifyKeyBundle(bundleBytes: Buffer, digest: string, key: KeyObject): BundleCheck {
  const read = readDsseBundle(bundleBytes);
  if ('reason' in read) return { ok: false, reason: read.reason };
  const { serialized, envelope } = read;
  const fingerprint = sshFingerprint(key);
  const keyidProblem = (envelope.signatures ?? []).map((s) => s.keyid).find((id) => id && id !== fingerprint);
  if (keyidProblem !== undefined)
    return {
      ok: false,
      reason: `the DSSE keyid "${keyidProblem}" is not empty and not the key's fingerprint, so sigstore-go would skip the signature`,
    };
  try {
    const bundle = bundleFromJSON(serialized);
    const trust: TrustMaterial = {
      certificateAuthorities: [],
      timestampAuthorities: [],
      tlogs: [],
      ctlogs: [],
      // Like cosign, ignore the hint: the key the user named is the key that must verify.
      publicKey: () => ({ publicKey: key, validFor: () => true }),
    };
    new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(toSignedEntity(bundle));
  } catch (error) {
    return { ok: false, reason: `the DSSE signature does not verify with this key (${errorMessage(error)})` };
  }
  const claim = inTotoSubjectProblem(Buffer.from(envelope.payload, 'base64'), digest);
  return claim
    ? { ok: false, reason: claim }
    : { ok: true, reason: 'DSSE signature verifies and the in-toto subject is the artifact digest' };
}

/** cosign keeps only bundles of media type v0.3 or later. */
export function bundleVersionProblem(mediaType: unknown): string | undefined {
  if (mediaType === BUNDLE_V03_MEDIA_TYPE) return undefined;
  const match =
    typeof mediaType === 'string'
      ? /^application\/vnd\.dev\.sigstore\.bundle(?:\.v(\d+)\.(\d+)\+json|\+json;version=(\d+)\.(\d+))$/.exec(mediaType)
      : null;
  if (!match) return `the bundle media type ${JSON.stringify(mediaType)} is not a Sigstore bundle`;
  const [major, minor] = (match[1] ? [match[1], match[2]] : [match[3], match[4]]).map(Number);
  return major > 0 || minor >= 3 ? undefined : `the bundle is v${major}.${minor}; cosign 3 and Flux need v0.3 or later`;
}

/** WithArtifactDigest / IntotoSubjectClaimVerifier: some subject's sha256 must be the image digest. */
export function inTotoSubjectProblem(payload: Buffer, digest: string): string | undefined {
  let statement: { _type?: unknown; subject?: Array<{ digest?: Record<string, unknown> }> };
  try {
    statement = JSON.parse(payload.toString('utf8'));
  } catch {
    return 'the DSSE payload is not JSON';
  }
  if (statement?._type !== IN_TOTO_STATEMENT_TYPE && statement?._type !== 'https://in-toto.io/Statement/v0.1')
    return `the DSSE payload is not an in-toto statement (_type ${JSON.stringify(statement?._type)})`;
  const [algorithm, hex] = digest.split(':', 2);
  const subjects = Array.isArray(statement.subject) ? statement.subject : [];
  if (subjects.some((s) => s?.digest?.[algorithm] === hex)) return undefined;
  const claimed = subjects
    .map((s) =>
      Object.entries(s?.digest ?? {})
        .map(([a, h]) => `${a}:${String(h)}`)
        .join(','),
    )
    .join(' ');
  return `the in-toto subject is ${claimed || 'empty'}, not ${digest}`;
}
