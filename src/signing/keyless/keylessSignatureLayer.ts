import { createHash } from 'node:crypto';
import { bundleFromJSON, BUNDLE_V01_MEDIA_TYPE, type SerializedBundle } from '@sigstore/bundle';
import { toSignedEntity, Verifier, type TrustMaterial } from '@sigstore/verify';
import { readIdentity } from './keylessOutcome';
import { describeVerificationError } from './keylessVerify';
import { matchIdentity, type OidcIdentity, type SignerIdentity } from './identity';
import { parsePem } from '../pem';
import { simpleSigningClaimProblem } from '../simpleSigning';
import type { FoundSignature } from '../signatureDiscovery';
import type { SignatureResult } from '../signatureResult';
import type { KeylessTrust } from './keylessTrust';
import { errorMessage } from '../../text/format';

// cosign 2 signs keyless into the legacy `.sig` tag by default (no --new-bundle-format): the layer
// is the simple-signing payload, and its annotations carry the Fulcio certificate, its chain and
// the Rekor entry with the log's signed entry timestamp (pkg/oci/static/signature.go). What a
// verifier with a trusted root runs on it is cosign's pkg/cosign/verify.go verifyInternal, which
// Flux (internal/oci/cosign), Kyverno (pkg/image/verifiers/cpol/cosign) and policy-controller
// (pkg/webhook/validator.go) all call: VerifyBundle (the Rekor body names this signature, this
// certificate and the payload's hash, and its SET verifies with a trusted log key), the
// certificate chains to a trusted Fulcio CA and carries an SCT from a trusted CT log
// (ValidateAndUnpackCertWithIntermediates), its identity matches (CheckCertificatePolicy), the
// signature over the payload verifies with the certificate's key, and the certificate was valid
// when Rekor logged it (CheckExpiry at the integrated time).

type Outcome = Pick<SignatureResult, 'status' | 'reason' | 'signer' | 'signedAt' | 'identity'>;

/** cosign's bundle.RekorBundle as JSON: []byte fields are standard base64, the log ID is hex. */
interface RekorBundle {
  SignedEntryTimestamp?: unknown;
  Payload?: { body?: unknown; integratedTime?: unknown; logIndex?: unknown; logID?: unknown };
}

/**
 * The verdict on a cosign `.sig` layer under `trust` when keyless judging applies: a layer with a
 * Fulcio certificate, for a consumer that verifies keyless or has no key at all (the certificate's
 * identity is then read, unchecked). Undefined when the key-based check applies unchanged: a
 * consumer with cosign keys, or a key-signed layer for a consumer without keyless trust.
 */
/** What of a VerificationTrust this reads (verifyArtifact.ts imports this file). */
interface LayerTrust {
  cosignKeys?: readonly unknown[];
  keyless?: KeylessTrust;
}

export function keylessLayerOutcome(found: FoundSignature, digest: string, trust: LayerTrust): Outcome | undefined {
  if (found.format !== 'cosign' || (trust.cosignKeys?.length ?? 0) > 0) return undefined;
  if (!found.certificate) {
    if (!trust.keyless) return undefined;
    return {
      status: 'invalid',
      reason:
        'the layer has no dev.sigstore.cosign/certificate annotation: it was signed with a key, and keyless verification needs the Fulcio certificate',
    };
  }
  const der = parsePem(found.certificate).find((b) => b.type === 'CERTIFICATE')?.der;
  const identity = der ? readIdentity(der) : undefined;
  if (!der || !identity)
    return {
      status: 'invalid',
      reason:
        'the dev.sigstore.cosign/certificate annotation is not a Fulcio certificate with a subject alternative name and an OIDC issuer',
    };
  const named = { signer: `${identity.subject} (issuer ${identity.issuer})`, identity };
  if (!trust.keyless)
    return {
      status: 'unverified',
      ...named,
      reason: `keyless .sig signature naming ${named.signer}, not checked: no keyless trust configured (a Sigstore trusted root and the OIDC identities to accept)`,
    };
  return { ...named, ...verifyLayer(found, der, digest, trust.keyless.trustedRoot, identity, trust.keyless.identities) };
}

function verifyLayer(
  found: Extract<FoundSignature, { format: 'cosign' }>,
  certificate: Buffer,
  digest: string,
  root: TrustMaterial,
  signer: SignerIdentity,
  identities: OidcIdentity[],
): Pick<Outcome, 'status' | 'reason' | 'signedAt'> {
  const invalid = (reason: string) => ({ status: 'invalid' as const, reason });
  if (!found.signature) return invalid('the layer has no dev.cosignproject.cosign/signature annotation');
  if (!found.rekorBundle)
    return invalid(
      'the layer has no dev.sigstore.cosign/bundle annotation (the Rekor entry cosign 2 attaches whenever it logs a signature), so nothing shows the signature is in the transparency log the verifier requires',
    );
  const entry = rekorEntry(found.rekorBundle, found.signature, certificate);
  if ('problem' in entry) return invalid(entry.problem);
  const serialized = {
    mediaType: BUNDLE_V01_MEDIA_TYPE,
    verificationMaterial: {
      x509CertificateChain: { certificates: [{ rawBytes: certificate.toString('base64') }] },
      tlogEntries: [entry.tlogEntry],
      timestampVerificationData: { rfc3161Timestamps: [] },
    },
    messageSignature: {
      messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(found.payload).digest('base64') },
      signature: found.signature,
    },
  } as unknown as SerializedBundle;
  let signedAt: string;
  try {
    // One Rekor entry (its integrated time is when the certificate must have been valid), one SCT.
    new Verifier(root, { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1 }).verify(
      toSignedEntity(bundleFromJSON(serialized), found.payload),
    );
    signedAt = new Date(entry.integratedTime * 1000).toISOString();
  } catch (error) {
    return invalid(`the keyless .sig signature does not verify against the trusted root: ${describeVerificationError(error)}`);
  }
  const claim = simpleSigningClaimProblem(found.payload, digest);
  if (claim) return { ...invalid(claim), signedAt };
  let match;
  try {
    match = matchIdentity(signer, identities);
  } catch (error) {
    return { ...invalid(errorMessage(error)), signedAt };
  }
  if (!match.ok) return { ...invalid(match.reason), signedAt };
  return {
    status: 'verified',
    signedAt,
    reason: `signed by ${signer.subject} (issuer ${signer.issuer}); certificate chain, SCT, Rekor entry and the signature over the simple-signing payload verify, the payload claims this digest, and ${match.reason}`,
  };
}

/**
 * The layer's Rekor bundle as a tlog entry @sigstore/verify checks (SET, and the body against the
 * signature and payload hash), after cosign's own comparison of the body's public key with the
 * certificate (comparePublicKey), which @sigstore/verify leaves out.
 */
function rekorEntry(
  text: string,
  signature: string,
  certificate: Buffer,
): { tlogEntry: Record<string, unknown>; integratedTime: number } | { problem: string } {
  let bundle: RekorBundle;
  try {
    bundle = JSON.parse(text) as RekorBundle;
  } catch {
    return { problem: 'the dev.sigstore.cosign/bundle annotation is not JSON' };
  }
  const set = bundle?.SignedEntryTimestamp;
  const { body, integratedTime, logIndex, logID } = bundle?.Payload ?? {};
  if (typeof set !== 'string' || typeof body !== 'string' || typeof integratedTime !== 'number' || typeof logIndex !== 'number')
    return { problem: 'the dev.sigstore.cosign/bundle annotation lacks SignedEntryTimestamp, Payload.body, integratedTime or logIndex' };
  if (typeof logID !== 'string' || !/^[0-9a-f]+$/i.test(logID)) return { problem: 'the Rekor bundle has no hex Payload.logID' };
  let entry: { kind?: unknown; apiVersion?: unknown; spec?: { signature?: { content?: unknown; publicKey?: { content?: unknown } } } };
  try {
    entry = JSON.parse(Buffer.from(body, 'base64').toString('utf8'));
  } catch {
    return { problem: 'the Rekor bundle body is not base64 JSON' };
  }
  if (entry?.kind !== 'hashedrekord')
    return { problem: `the Rekor entry is a ${String(entry?.kind)} entry, not the hashedrekord cosign writes for a .sig signature` };
  const bodyKey = entry.spec?.signature?.publicKey?.content;
  const bodyCertificate = typeof bodyKey === 'string' ? parsePem(Buffer.from(bodyKey, 'base64').toString('utf8'))[0]?.der : undefined;
  if (!bodyCertificate?.equals(certificate)) return { problem: 'the Rekor entry names another certificate than the layer' };
  if (entry.spec?.signature?.content !== signature) return { problem: 'the Rekor entry records another signature than the layer' };
  return {
    integratedTime,
    tlogEntry: {
      logIndex: String(logIndex),
      logId: { keyId: Buffer.from(logID, 'hex').toString('base64') },
      kindVersion: { kind: 'hashedrekord', version: String(entry.apiVersion) },
      integratedTime: String(integratedTime),
      inclusionPromise: { signedEntryTimestamp: set },
      canonicalizedBody: body,
    },
  };
}
