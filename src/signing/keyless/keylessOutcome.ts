import type { SerializedBundle } from '@sigstore/bundle';
import type { SignatureResult } from '../signatureResult';
import type { KeylessTrust } from './keylessTrust';
import { bundleCertificate, verifyKeylessBundle } from './keylessVerify';
import { certificateIdentity, type SignerIdentity } from './identity';

export type KeylessOutcome = Pick<SignatureResult, 'status' | 'reason' | 'signer' | 'signedAt' | 'identity'>;

/**
 * verifyArtifact's answer for a keyless bundle, or undefined when the bundle is not keyless (it
 * names a public key, or cannot be read as JSON), so the key-based check handles it as before.
 * Without keyless trust the result is 'unverified', naming the certificate's (unchecked) identity.
 */
export function keylessOutcome(bundle: Buffer, digest: string, trust: KeylessTrust | undefined): KeylessOutcome | undefined {
  let serialized: SerializedBundle;
  try {
    serialized = JSON.parse(bundle.toString('utf8')) as SerializedBundle;
  } catch {
    return undefined;
  }
  const der = bundleCertificate(serialized);
  if (!der) return undefined;
  if (!trust) {
    const named = readIdentity(der);
    return {
      status: 'unverified',
      reason: `keyless signature${named ? ` naming ${named.subject} (issuer ${named.issuer}), not checked` : ''}: no keyless trust configured (a Sigstore trusted root and the OIDC identities to accept)`,
      ...(named ? { signer: signerLabel(named), identity: named } : {}),
    };
  }
  const check = verifyKeylessBundle(bundle, digest, trust.trustedRoot, trust.identities);
  return {
    status: check.ok ? 'verified' : 'invalid',
    reason: check.reason,
    ...(check.signer ? { signer: signerLabel(check.signer), identity: check.signer } : {}),
    ...(check.signedAt ? { signedAt: check.signedAt } : {}),
  };
}

function signerLabel(identity: SignerIdentity): string {
  return `${identity.subject} (issuer ${identity.issuer})`;
}

/** The identity a certificate names, or undefined when it names none (or is not a certificate). */
export function readIdentity(der: Buffer): SignerIdentity | undefined {
  try {
    const { subject, issuer } = certificateIdentity(der);
    return subject && issuer ? { subject, issuer } : undefined;
  } catch {
    return undefined;
  }
}
