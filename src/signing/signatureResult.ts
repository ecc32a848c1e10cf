import type { FoundSignature } from './signatureDiscovery';

// What one signature check concludes, apart from verifyArtifact (which runs the checks) so the
// per-format checks (keyless/keylessOutcome.ts) can return it without importing their caller.

export type SignatureFormat = FoundSignature['format'];
/** verified: checks passed against configured trust; unverified: no key/trust configured for it; invalid: a check failed. */
export type SignatureStatus = 'verified' | 'unverified' | 'invalid';

export interface SignatureResult {
  format: SignatureFormat;
  /** Where it was found: `sha256-<hex>.sig layer 1 of 2` or `referrer sha256:…`. */
  location: string;
  /** The manifest holding it (the `.sig` manifest or the referrer), so a tree can badge that node. */
  manifestDigest: string;
  status: SignatureStatus;
  reason: string;
  /** Which configured key, or the certificate subject. */
  signer?: string;
  signedAt?: string;
  /** Keyless (Fulcio certificate) signatures: the OIDC identity the certificate names. */
  identity?: { subject: string; issuer: string };
}
