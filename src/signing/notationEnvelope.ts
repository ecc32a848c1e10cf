import { createHash, createPublicKey, sign, verify, X509Certificate, constants, type KeyObject } from 'node:crypto';
import type { Descriptor } from '../oci';
import { fromBase64Url, fromStdBase64, toBase64Url } from './base64url';
import { SigningError } from './errors';
import { samePublicKey } from './keys';
import { certificateChainProblems } from './notaryCertificateRules';
import { rfc3339Seconds } from './referrerManifest';
import { errorMessage } from '../text/format';

/**
 * Notary Project's JWS signature envelope (specs/signature-envelope-jws.md, notation-core-go
 * signature/jws): flattened JSON serialisation, protected headers with the signing scheme and
 * time, the `x5c` chain (standard base64 DER, leaf → root) in the unprotected header, and a payload
 * naming the target artifact's descriptor.
 */
export const JWS_MEDIA_TYPE = 'application/jose+json';
export const NOTARY_SIGNATURE_ARTIFACT_TYPE = 'application/vnd.cncf.notary.signature';
export const NOTARY_PAYLOAD_CONTENT_TYPE = 'application/vnd.cncf.notary.payload.v1+json';
export const THUMBPRINT_ANNOTATION = 'io.cncf.notary.x509chain.thumbprint#S256';
const SIGNING_SCHEME = 'io.cncf.notary.signingScheme';
const SIGNING_TIME = 'io.cncf.notary.signingTime';
const EXPIRY = 'io.cncf.notary.expiry';
const AUTHENTIC_SIGNING_TIME = 'io.cncf.notary.authenticSigningTime';
const SIGNING_AGENT = 'io.cncf.notary.signingAgent';
/** Headers notation understands; a `crit` entry outside this set is an extension it cannot process. */
const KNOWN_CRITICAL = new Set([SIGNING_SCHEME, EXPIRY, AUTHENTIC_SIGNING_TIME]);

type Algorithm = 'ES256' | 'ES384' | 'ES512' | 'PS256' | 'PS384' | 'PS512';

/** notation-core-go's key → algorithm table: the curve or modulus fixes the algorithm. */
export function jwsAlgorithmFor(key: KeyObject): Algorithm {
  if (key.asymmetricKeyType === 'ec') {
    const alg = ({ prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' } as const)[key.asymmetricKeyDetails?.namedCurve as string];
    if (alg) return alg;
  }
  if (key.asymmetricKeyType === 'rsa') {
    const alg = ({ 2048: 'PS256', 3072: 'PS384', 4096: 'PS512' } as const)[key.asymmetricKeyDetails?.modulusLength as number];
    if (alg) return alg;
  }
  throw new SigningError(
    'KEY_UNSUPPORTED',
    `Notary Project signs with ECDSA P-256/384/521 or RSA 2048/3072/4096; this key is ${key.asymmetricKeyType} ${key.asymmetricKeyDetails?.namedCurve ?? key.asymmetricKeyDetails?.modulusLength ?? ''}`.trim(),
  );
}

function hashOf(alg: Algorithm): string {
  return `sha${alg.slice(2)}`;
}

/** ES*: raw r‖s (IEEE P1363), as golang-jwt expects. PS*: RSA-PSS with salt length = hash length. */
function jwsSign(alg: Algorithm, key: KeyObject, data: Buffer): Buffer {
  return alg.startsWith('ES')
    ? sign(hashOf(alg), data, { key, dsaEncoding: 'ieee-p1363' })
    : sign(hashOf(alg), data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST });
}

function jwsVerify(alg: Algorithm, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    return alg.startsWith('ES')
      ? verify(hashOf(alg), data, { key, dsaEncoding: 'ieee-p1363' }, signature)
      : verify(
          hashOf(alg),
          data,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
          signature,
        );
  } catch {
    return false;
  }
}

/** The descriptor notation signs: mediaType, digest, size (and annotations); artifactType and urls are stripped. */
export function targetArtifact(descriptor: Descriptor): Descriptor {
  const out: Descriptor = { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size };
  if (descriptor.annotations && Object.keys(descriptor.annotations).length > 0) out.annotations = descriptor.annotations;
  return out;
}

export interface NotationSignInput {
  target: Descriptor;
  key: KeyObject;
  /** DER certificates, leaf first, root last. */
  chain: Buffer[];
  signingTime?: Date;
  expiry?: Date;
  signingAgent?: string;
}

export function createJwsEnvelope(input: NotationSignInput): Buffer {
  if (input.chain.length === 0)
    throw new SigningError('CERTIFICATE_INVALID', 'A notation signature needs the signing certificate (and its chain up to the root)');
  const leafKey = new X509Certificate(input.chain[0]).publicKey;
  if (!samePublicKey(leafKey, input.key))
    throw new SigningError(
      'CERTIFICATE_INVALID',
      'The notation key does not belong to the first certificate of the chain',
      'Pass the certificate issued for this key first, then its issuers',
    );
  const alg = jwsAlgorithmFor(input.key);
  const signingTime = rfc3339Seconds(input.signingTime ?? new Date());
  const crit = [SIGNING_SCHEME];
  const header: Record<string, unknown> = {
    alg,
    crit,
    cty: NOTARY_PAYLOAD_CONTENT_TYPE,
    [SIGNING_SCHEME]: 'notary.x509',
    [SIGNING_TIME]: signingTime,
  };
  if (input.expiry) {
    crit.push(EXPIRY);
    header[EXPIRY] = rfc3339Seconds(input.expiry);
  }
  const protectedB64 = toBase64Url(JSON.stringify(header));
  const payloadB64 = toBase64Url(JSON.stringify({ targetArtifact: targetArtifact(input.target) }));
  const signature = jwsSign(alg, input.key, Buffer.from(`${protectedB64}.${payloadB64}`));
  const unprotected: Record<string, unknown> = { x5c: input.chain.map((c) => c.toString('base64')) };
  if (input.signingAgent) unprotected[SIGNING_AGENT] = input.signingAgent;
  return Buffer.from(
    JSON.stringify({ payload: payloadB64, protected: protectedB64, header: unprotected, signature: toBase64Url(signature) }),
  );
}

/** `io.cncf.notary.x509chain.thumbprint#S256`: SHA-256 of each DER certificate, lowercase hex, x5c order. */
export function thumbprintAnnotation(chain: Buffer[]): string {
  return JSON.stringify(chain.map((c) => createHash('sha256').update(c).digest('hex')));
}

export interface EnvelopeCheck {
  ok: boolean;
  reason: string;
  /** The parsed chain when it could be read (for the trust decision). */
  chain: Buffer[];
  signingTime?: string;
}

/**
 * notation's integrity and certificate checks (notation-go verifier, notation-core-go jws): the
 * envelope shape, the protected headers and `crit`, the signature over
 * `B64URL(protected).B64URL(payload)` with the leaf key and matching algorithm, the certificate
 * rules, expiry, and that the signed target is exactly the descriptor resolved from the registry.
 * Trust (which certificates and identities) is decided by the caller.
 */
export function verifyJwsEnvelope(bytes: Buffer, expected: Descriptor, now: Date = new Date()): EnvelopeCheck {
  const fail = (reason: string, chain: Buffer[] = []): EnvelopeCheck => ({ ok: false, reason, chain });
  let envelope: { payload?: unknown; protected?: unknown; header?: { x5c?: unknown }; signature?: unknown };
  try {
    envelope = JSON.parse(bytes.toString('utf8'));
  } catch {
    return fail('the JWS envelope is not JSON');
  }
  let header: Record<string, unknown>, payload: Buffer, signature: Buffer;
  try {
    header = JSON.parse(fromBase64Url(envelope.protected, 'the protected header').toString('utf8'));
    payload = fromBase64Url(envelope.payload, 'the payload');
    signature = fromBase64Url(envelope.signature, 'the signature');
  } catch (error) {
    return fail(`the JWS envelope is malformed: ${errorMessage(error)}`);
  }
  const headerProblem = protectedHeaderProblem(header, now);
  if (headerProblem) return fail(headerProblem);
  const x5c = envelope.header?.x5c;
  if (!Array.isArray(x5c) || x5c.length === 0) return fail('the unprotected header has no x5c certificate chain');
  let chain: Buffer[];
  try {
    chain = x5c.map((c, i) => fromStdBase64(c, `x5c[${i}]`));
  } catch (error) {
    return fail(`the x5c chain is malformed: ${errorMessage(error)}`);
  }
  let leafKey: KeyObject;
  try {
    leafKey = createPublicKey(new X509Certificate(chain[0]).toString());
  } catch {
    return fail('x5c[0] is not a certificate', chain);
  }
  const alg = header.alg as Algorithm;
  let expectedAlg: Algorithm;
  try {
    expectedAlg = jwsAlgorithmFor(leafKey);
  } catch (error) {
    return fail(errorMessage(error), chain);
  }
  if (alg !== expectedAlg)
    return fail(`the protected header says alg ${String(alg)}, but the signing certificate's key needs ${expectedAlg}`, chain);
  if (!jwsVerify(alg, leafKey, Buffer.from(`${String(envelope.protected)}.${String(envelope.payload)}`), signature)) {
    return fail(
      "the JWS signature does not verify with the signing certificate's key (the payload or headers were changed, or it was signed by another key)",
      chain,
    );
  }
  const certificateProblems = certificateChainProblems(chain, now);
  if (certificateProblems.length > 0) return fail(`certificate rules: ${certificateProblems.join('; ')}`, chain);
  let signed: Descriptor | undefined;
  try {
    signed = (JSON.parse(payload.toString('utf8')) as { targetArtifact?: Descriptor }).targetArtifact;
  } catch {
    return fail('the signed payload is not JSON', chain);
  }
  if (!signed || signed.mediaType !== expected.mediaType || signed.digest !== expected.digest || signed.size !== expected.size) {
    return fail(
      `the signature is for ${signed ? `${signed.digest} (${signed.mediaType}, ${signed.size} bytes)` : 'no target artifact'}, not for ${expected.digest} (${expected.mediaType}, ${expected.size} bytes)`,
      chain,
    );
  }
  return {
    ok: true,
    reason: 'JWS signature verifies, the certificate chain meets Notary Project rules, and it signs this artifact',
    chain,
    signingTime: String(header[SIGNING_TIME]),
  };
}

function protectedHeaderProblem(header: Record<string, unknown>, now: Date): string | undefined {
  if (typeof header !== 'object' || header === null) return 'the protected header is not a JSON object';
  if (header.cty !== NOTARY_PAYLOAD_CONTENT_TYPE)
    return `the protected header's cty is ${JSON.stringify(header.cty)}, not ${NOTARY_PAYLOAD_CONTENT_TYPE}`;
  if (header[SIGNING_SCHEME] !== 'notary.x509')
    return `the signing scheme is ${JSON.stringify(header[SIGNING_SCHEME])}; only notary.x509 is supported`;
  if (AUTHENTIC_SIGNING_TIME in header) return `${AUTHENTIC_SIGNING_TIME} is not allowed with the notary.x509 signing scheme`;
  const signingTime = header[SIGNING_TIME];
  if (typeof signingTime !== 'string' || Number.isNaN(Date.parse(signingTime))) return `the protected header has no valid ${SIGNING_TIME}`;
  const crit = header.crit;
  if (!Array.isArray(crit) || crit.some((c) => typeof c !== 'string')) return 'the protected header has no crit list';
  if (!crit.includes(SIGNING_SCHEME)) return `crit does not list ${SIGNING_SCHEME}`;
  if (EXPIRY in header && !crit.includes(EXPIRY)) return `crit does not list ${EXPIRY} although the header has it`;
  for (const name of crit as string[]) {
    if (!(name in header)) return `crit lists ${name}, which the protected header does not contain`;
    if (!KNOWN_CRITICAL.has(name)) return `crit lists ${name}, an extension this verifier (like notation without a plugin) cannot process`;
  }
  // Non-critical extended attributes are allowed (notation-core-go keeps them as ExtendedAttributes).
  if (EXPIRY in header) {
    const expiry = Date.parse(String(header[EXPIRY]));
    if (Number.isNaN(expiry)) return `${EXPIRY} is not a valid time`;
    if (now.getTime() > expiry) return `the signature expired on ${String(header[EXPIRY])}`;
  }
  return undefined;
}
