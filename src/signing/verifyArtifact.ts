import type { KeyObject } from 'node:crypto';
import { formatRepository, type Descriptor, type RepositoryApi } from '../oci';
import { cosignVerify } from './keys';
import type { KeylessTrust } from './keyless/keylessTrust';
import { keylessOutcome } from './keyless/keylessOutcome';
import { keylessLayerOutcome } from './keyless/keylessSignatureLayer';
import { verifyJwsEnvelope } from './notationEnvelope';
import { certificateSubject } from './notaryCertificateRules';
import { notationTrustDecision, type NotationTrust } from './notationTrust';
import { discoverSignatures, type FoundSignature } from './signatureDiscovery';
import type { SignatureResult } from './signatureResult';
import { simpleSigningClaimProblem } from './simpleSigning';
import { verifyKeyBundle } from './sigstoreBundle';

export interface VerificationTrust {
  /** cosign public keys (cosign.pub), each with a name to report. */
  cosignKeys?: Array<{ name: string; key: KeyObject }>;
  notation?: NotationTrust;
  /** Sigstore keyless: a trusted root and the OIDC identities to accept (Flux matchOIDCIdentity). */
  keyless?: KeylessTrust;
}

export interface ArtifactVerification {
  digest: string;
  signatures: SignatureResult[];
  /** At least one signature verified. */
  verified: boolean;
}

/**
 * Finds every cosign (`.sig` and bundle) and notation signature of `subject` and checks each as
 * cosign and notation would, reporting a status and reason per signature.
 */
export async function verifyArtifact(
  repo: RepositoryApi,
  subject: Descriptor,
  trust: VerificationTrust,
  signal?: AbortSignal,
): Promise<ArtifactVerification> {
  const found = await discoverSignatures(repo, subject.digest, signal);
  const scope = formatRepository(repo);
  const signatures = found.map((f) => checkSignature(f, subject, trust, scope));
  return { digest: subject.digest, signatures, verified: signatures.some((s) => s.status === 'verified') };
}

export function checkSignature(found: FoundSignature, subject: Descriptor, trust: VerificationTrust, scope: string): SignatureResult {
  const base = { format: found.format, location: found.location, manifestDigest: found.manifestDigest };
  switch (found.format) {
    case 'cosign':
      // A layer with a Fulcio certificate (cosign 2 signing keyless into the .sig tag) is judged
      // against the certificate it carries, unless cosign keys are what the verifier trusts; a
      // key-signed layer stays a question of keys (unverified without one, not invalid).
      return {
        ...base,
        ...((found.certificate ? keylessLayerOutcome(found, subject.digest, trust) : undefined) ??
          checkSimpleSigning(found.payload, found.signature, subject.digest, trust.cosignKeys ?? [], !!trust.keyless)),
      };
    case 'sigstore-bundle':
      if (!found.bundle) return { ...base, status: 'invalid', reason: found.problem ?? 'the bundle could not be read' };
      // A bundle with a Fulcio certificate is keyless: a cosign key cannot verify it.
      return {
        ...base,
        ...(keylessOutcome(found.bundle, subject.digest, trust.keyless) ??
          checkBundle(found.bundle, subject.digest, trust.cosignKeys ?? [])),
      };
    case 'notation':
      if (!found.envelope) return { ...base, status: 'invalid', reason: found.problem ?? 'the envelope could not be read' };
      return { ...base, ...checkNotation(found.envelope, subject, trust.notation, scope) };
  }
}

type Outcome = Pick<SignatureResult, 'status' | 'reason' | 'signer' | 'signedAt'>;

/** cosign 2 / Flux < 1.8: ECDSA over the exact payload bytes with some configured key, then the digest claim. */
function checkSimpleSigning(
  payload: Buffer,
  signature: string | undefined,
  digest: string,
  keys: Array<{ name: string; key: KeyObject }>,
  keylessTrusted = false,
): Outcome {
  if (!signature) return { status: 'invalid', reason: 'the layer has no dev.cosignproject.cosign/signature annotation' };
  if (keys.length === 0)
    return {
      status: 'unverified',
      reason: keylessTrusted
        ? 'signed with a key (the layer has no Fulcio certificate), so keyless verification cannot check it, and no cosign public key is configured'
        : 'no cosign public key configured',
    };
  const bytes = Buffer.from(signature, 'base64');
  const signer = keys.find((k) => cosignVerify(k.key, payload, bytes));
  if (!signer) return { status: 'invalid', reason: `the signature does not verify with ${describeKeys(keys)}` };
  const claim = simpleSigningClaimProblem(payload, digest);
  if (claim) return { status: 'invalid', signer: signer.name, reason: claim };
  return { status: 'verified', signer: signer.name, reason: 'signature over the simple-signing payload verifies and claims this digest' };
}

/** cosign 3 / Flux ≥ 1.8. */
function checkBundle(bundle: Buffer, digest: string, keys: Array<{ name: string; key: KeyObject }>): Outcome {
  if (keys.length === 0) return { status: 'unverified', reason: 'no cosign public key configured' };
  const checks = keys.map((k) => ({ name: k.name, check: verifyKeyBundle(bundle, digest, k.key) }));
  const passed = checks.find((c) => c.check.ok);
  if (passed) return { status: 'verified', signer: passed.name, reason: passed.check.reason };
  // A claim problem with a key whose signature verified is more useful than "wrong key".
  const informative = checks.find((c) => !c.check.reason.startsWith('the DSSE signature does not verify')) ?? checks[0];
  return { status: 'invalid', reason: keys.length === 1 ? informative.check.reason : `${informative.name}: ${informative.check.reason}` };
}

function checkNotation(envelope: Buffer, subject: Descriptor, trust: NotationTrust | undefined, scope: string): Outcome {
  const check = verifyJwsEnvelope(envelope, subject);
  const signer = check.chain.length > 0 ? safeSubject(check.chain[0]) : undefined;
  if (!check.ok) return { status: 'invalid', reason: check.reason, signer, signedAt: check.signingTime };
  if (!trust)
    return {
      status: 'unverified',
      reason: 'no notation trust store configured (the envelope itself is well formed and its signature verifies)',
      signer,
      signedAt: check.signingTime,
    };
  const decision = notationTrustDecision(trust, check.chain, scope);
  if (decision.level === 'skip') return { status: 'unverified', reason: decision.reason, signer, signedAt: check.signingTime };
  return {
    status: decision.ok ? 'verified' : 'invalid',
    reason: decision.ok ? `${check.reason}; ${decision.reason}` : decision.reason,
    signer,
    signedAt: check.signingTime,
  };
}

function describeKeys(keys: Array<{ name: string }>): string {
  return keys.length === 1
    ? `the key ${keys[0].name}`
    : `any of the ${keys.length} configured keys (${keys.map((k) => k.name).join(', ')})`;
}

function safeSubject(der: Buffer): string | undefined {
  try {
    return certificateSubject(der);
  } catch {
    return undefined;
  }
}
