import { bundleFromJSON, type SerializedBundle } from '@sigstore/bundle';
import { toSignedEntity, Verifier, type TrustMaterial } from '@sigstore/verify';
import { inTotoSubjectProblem, readDsseBundle } from '../sigstoreBundle';
import { certificateIdentity, matchIdentity, type OidcIdentity, type SignerIdentity } from './identity';
import { errorMessage } from '../../text/format';

export interface KeylessCheck {
  ok: boolean;
  reason: string;
  /** The certificate's identity; present whenever the certificate could be read, verified or not. */
  signer?: SignerIdentity;
  /** When Rekor integrated the entry (RFC 3339), once the entry verified. */
  signedAt?: string;
}

/** Whether a serialized bundle is keyless: it carries a Fulcio certificate rather than a public-key hint. */
export function bundleCertificate(serialized: SerializedBundle): Buffer | undefined {
  const material = serialized.verificationMaterial;
  const raw = material?.certificate?.rawBytes ?? material?.x509CertificateChain?.certificates?.[0]?.rawBytes;
  return raw ? Buffer.from(raw, 'base64') : undefined;
}

/**
 * What cosign 3 and Flux ≥1.8 check for a keyless bundle: a v0.3+ DSSE bundle whose Fulcio
 * certificate chains to the trusted root's CA (at the time Rekor saw it), carries an SCT from a
 * trusted CT log, whose Rekor entry is in a trusted log and matches the envelope, whose DSSE
 * signature verifies with the certificate's key, whose in-toto subject is the artifact digest,
 * and whose identity (SAN and OIDC issuer) matches one of `identities`.
 */
export function verifyKeylessBundle(bundleBytes: Buffer, digest: string, trust: TrustMaterial, identities: OidcIdentity[]): KeylessCheck {
  const read = readDsseBundle(bundleBytes);
  if ('reason' in read) return { ok: false, reason: read.reason };
  const { serialized, envelope } = read;
  const der = bundleCertificate(serialized);
  if (!der) return { ok: false, reason: 'the bundle has no Fulcio certificate, so it is not a keyless signature' };
  if (serialized.verificationMaterial?.x509CertificateChain)
    return { ok: false, reason: 'a v0.3 bundle must hold a single certificate, not x509CertificateChain (sigstore-go rejects it)' };
  let signer: SignerIdentity | undefined;
  try {
    const { subject, issuer } = certificateIdentity(der);
    if (subject && issuer) signer = { subject, issuer };
  } catch (error) {
    return { ok: false, reason: `the bundle's certificate cannot be read (${errorMessage(error)})` };
  }
  if (!signer)
    return {
      ok: false,
      reason: 'the certificate has no subject alternative name or no OIDC issuer extension, so it is not a Fulcio signing certificate',
    };

  let signedAt: string | undefined;
  try {
    const bundle = bundleFromJSON(serialized);
    // cosign's keyless defaults: one Rekor entry (which also gives the time the certificate must
    // have been valid at), one SCT, one verified timestamp.
    new Verifier(trust, { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1 }).verify(toSignedEntity(bundle));
    const integrated = bundle.verificationMaterial.tlogEntries[0]?.integratedTime;
    if (integrated && integrated !== '0') signedAt = new Date(Number(integrated) * 1000).toISOString();
  } catch (error) {
    return { ok: false, signer, reason: `the bundle does not verify against the trusted root: ${describeVerificationError(error)}` };
  }
  const claim = inTotoSubjectProblem(Buffer.from(envelope.payload, 'base64'), digest);
  if (claim) return { ok: false, signer, signedAt, reason: claim };
  let match;
  try {
    match = matchIdentity(signer, identities);
  } catch (error) {
    // A pattern Go would not compile: Flux fails the same way, so the signature cannot pass.
    return { ok: false, signer, signedAt, reason: errorMessage(error) };
  }
  if (!match.ok) return { ok: false, signer, signedAt, reason: match.reason };
  return {
    ok: true,
    signer,
    signedAt,
    reason: `signed by ${signer.subject} (issuer ${signer.issuer}); certificate chain, SCT, Rekor entry and DSSE signature verify, the in-toto subject is the artifact digest, and ${match.reason}`,
  };
}

/** @sigstore/verify errors carry a code and often the real cause one level down. */
export function describeVerificationError(error: unknown): string {
  const e = error as { code?: string; message?: string; cause?: { message?: string } };
  const cause = e.cause?.message && e.cause.message !== e.message ? ` (${e.cause.message})` : '';
  return `${e.code ? `${e.code}: ` : ''}${e.message ?? String(error)}${cause}`;
}
