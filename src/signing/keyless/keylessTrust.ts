import { readFileSync } from 'node:fs';
import { crypto as sigstoreCrypto, X509Certificate } from '@sigstore/core';
import type { TrustMaterial } from '@sigstore/verify';
import { SigningError } from '../errors';
import { validateIdentities, type OidcIdentity } from './identity';
import { errorMessage } from '../../text/format';

/**
 * Keyless trust: the Sigstore trusted root (Fulcio CA certificates, Rekor and CT log keys) and
 * the OIDC identities to accept, as Flux's `spec.verify.trustedRootSecretRef` (trusted_root.json)
 * and `matchOIDCIdentity` hold them. No TUF fetch: the root is a file the user chose, so
 * verification works offline and against a private Sigstore.
 */
export interface KeylessTrust {
  trustedRoot: TrustMaterial;
  identities: OidcIdentity[];
}

type Json = Record<string, unknown>;

const BEGINNING_OF_TIME = new Date(0);
const END_OF_TIME = new Date(8640000000000000);
/** protobuf-specs PublicKeyDetails whose rawBytes are PKCS#1, not SPKI (as @sigstore/verify treats them). */
const PKCS1_KEY_DETAILS = new Set([
  'PKCS1_RSA_PKCS1V5',
  'PKIX_RSA_PKCS1V5',
  'PKIX_RSA_PKCS1V15_2048_SHA256',
  'PKIX_RSA_PKCS1V15_3072_SHA256',
  'PKIX_RSA_PKCS1V15_4096_SHA256',
]);

/** Reads a trusted_root.json file and the identities into keyless trust. */
export function loadKeylessTrust(trustedRootPath: string, identities: OidcIdentity[]): KeylessTrust {
  let text: string;
  try {
    text = readFileSync(trustedRootPath, 'utf8');
  } catch (error) {
    throw new SigningError(
      'TRUST_INVALID',
      `Cannot read the trusted root ${trustedRootPath}: ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}`,
      'Point --trusted-root at a trusted_root.json file',
    );
  }
  validateIdentities(identities);
  return { trustedRoot: parseTrustedRoot(text, trustedRootPath), identities };
}

/**
 * Parses the protobuf-JSON TrustedRoot (dev.sigstore.trustedroot, as in sigstore/root-signing's
 * targets/trusted_root.json or `cosign trusted-root create`) into @sigstore/verify's trust
 * material. Done here rather than through @sigstore/protobuf-specs, which this project does not
 * depend on directly; the mapping mirrors @sigstore/verify's toTrustMaterial.
 */
export function parseTrustedRoot(text: string, source = 'the trusted root'): TrustMaterial {
  let root: Json;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isObject(parsed)) throw new Error('not an object');
    root = parsed;
  } catch (error) {
    throw invalid(source, `it is not a JSON object (${errorMessage(error)})`);
  }
  const mediaType = root.mediaType;
  if (mediaType !== undefined && (typeof mediaType !== 'string' || !mediaType.startsWith('application/vnd.dev.sigstore.trustedroot')))
    throw invalid(source, `its mediaType ${JSON.stringify(mediaType)} is not a Sigstore trusted root`);
  const trust: TrustMaterial = {
    certificateAuthorities: list(root, 'certificateAuthorities', source).map((ca, i) =>
      certAuthority(ca, `certificateAuthorities[${i}]`, source),
    ),
    timestampAuthorities: list(root, 'timestampAuthorities', source).map((ca, i) =>
      certAuthority(ca, `timestampAuthorities[${i}]`, source),
    ),
    tlogs: list(root, 'tlogs', source).map((log, i) => logAuthority(log, `tlogs[${i}]`, source)),
    ctlogs: list(root, 'ctlogs', source).map((log, i) => logAuthority(log, `ctlogs[${i}]`, source)),
    // Keyless bundles carry a certificate; a public-key hint is not for this trust to resolve.
    publicKey: (hint) => {
      throw new SigningError(
        'TRUST_INVALID',
        `The bundle names a public key (hint ${hint}); keyless trust only verifies Fulcio certificates`,
      );
    },
  };
  if (trust.certificateAuthorities.length === 0)
    throw invalid(source, 'it has no certificateAuthorities, so no Fulcio certificate can chain to it');
  return trust;
}

function certAuthority(ca: Json, where: string, source: string): TrustMaterial['certificateAuthorities'][number] {
  const chain = isObject(ca.certChain) && Array.isArray(ca.certChain.certificates) ? ca.certChain.certificates : [];
  if (chain.length === 0) throw invalid(source, `${where}.certChain.certificates is empty`);
  return {
    certChain: chain.map((cert, j) => {
      try {
        return X509Certificate.parse(
          bytes(isObject(cert) ? cert.rawBytes : undefined, `${where}.certChain.certificates[${j}].rawBytes`, source),
        );
      } catch (error) {
        if (error instanceof SigningError) throw error;
        throw invalid(source, `${where}.certChain.certificates[${j}] is not a DER certificate (${errorMessage(error)})`);
      }
    }),
    validFor: validity(ca.validFor, `${where}.validFor`, source),
  };
}

function logAuthority(log: Json, where: string, source: string): TrustMaterial['tlogs'][number] {
  const key = isObject(log.publicKey) ? log.publicKey : undefined;
  if (!key) throw invalid(source, `${where}.publicKey is missing`);
  const keyType = typeof key.keyDetails === 'string' && PKCS1_KEY_DETAILS.has(key.keyDetails) ? 'pkcs1' : 'spki';
  let publicKey;
  try {
    publicKey = sigstoreCrypto.createPublicKey(bytes(key.rawBytes, `${where}.publicKey.rawBytes`, source), keyType);
  } catch (error) {
    if (error instanceof SigningError) throw error;
    throw invalid(source, `${where}.publicKey is not a ${keyType.toUpperCase()} public key (${errorMessage(error)})`);
  }
  // Rekor v2 logs are identified by their checkpoint key id; v1 by the log id.
  const id = isObject(log.checkpointKeyId) ? log.checkpointKeyId.keyId : isObject(log.logId) ? log.logId.keyId : undefined;
  return {
    logID: bytes(id, `${where}.logId.keyId`, source),
    baseURL: typeof log.baseUrl === 'string' ? log.baseUrl : '',
    publicKey,
    validFor: validity(key.validFor, `${where}.publicKey.validFor`, source),
  };
}

function validity(value: unknown, where: string, source: string): { start: Date; end: Date } {
  if (value === undefined) return { start: BEGINNING_OF_TIME, end: END_OF_TIME };
  if (!isObject(value)) throw invalid(source, `${where} is not an object`);
  return {
    start: time(value.start, `${where}.start`, source) ?? BEGINNING_OF_TIME,
    end: time(value.end, `${where}.end`, source) ?? END_OF_TIME,
  };
}

function time(value: unknown, where: string, source: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw invalid(source, `${where} is not an RFC 3339 time: ${JSON.stringify(value)}`);
  return date;
}

function bytes(value: unknown, where: string, source: string): Buffer<ArrayBuffer> {
  if (typeof value !== 'string' || value === '') throw invalid(source, `${where} is missing`);
  return Buffer.from(value, 'base64');
}

function list(root: Json, field: string, source: string): Json[] {
  const value = root[field];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isObject)) throw invalid(source, `${field} is not a list of objects`);
  return value;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(source: string, problem: string): SigningError {
  return new SigningError(
    'TRUST_INVALID',
    `${source} is not a usable Sigstore trusted root: ${problem}`,
    'Use the trusted_root.json of your Sigstore deployment (for the public one, targets/trusted_root.json of github.com/sigstore/root-signing; for a private one, `cosign trusted-root create`)',
  );
}
