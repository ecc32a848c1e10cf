import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { SigningError } from './errors';
import { parsePem, toPem } from './pem';
import { errorMessage } from '../text/format';

/**
 * Cosign signs with SHA-256 for the keys Flux can verify (Flux loads every key with a fixed
 * SHA-256 hash): ECDSA P-256 (ASN.1 DER signatures) and RSA PKCS#1 v1.5. Other key types are
 * refused up front rather than producing signatures Flux would reject.
 */
export function assertCosignSigningKey(key: KeyObject, where: string): void {
  const type = key.asymmetricKeyType;
  if (type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return;
  if (type === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) return;
  const what = type === 'ec' ? `ECDSA ${key.asymmetricKeyDetails?.namedCurve}` : String(type);
  throw new SigningError(
    'KEY_UNSUPPORTED',
    `${where} is a ${what} key; cosign signatures here use ECDSA P-256 or RSA ≥2048 with SHA-256 (what Flux verifies)`,
    'Generate a new key pair with "oci-gitops keygen" or cosign generate-key-pair',
  );
}

/** ECDSA SHA-256 with an ASN.1 DER signature (Go's ecdsa.SignASN1), or RSA PKCS#1 v1.5 SHA-256. */
export function cosignSign(key: KeyObject, data: Uint8Array): Buffer {
  return sign('sha256', data, key);
}

export function cosignVerify(key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify('sha256', data, key, signature);
  } catch {
    return false;
  }
}

/** The public key in cosign.pub form: PKIX `PUBLIC KEY` PEM. */
export function publicKeyPem(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return toPem('PUBLIC KEY', pub.export({ type: 'spki', format: 'der' }));
}

/** Cosign's key hint: base64 of SHA-256 over the SPKI DER (internal/key/svkeypair.go). */
export function publicKeyHint(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('base64');
}

/** Loads a `PUBLIC KEY` PEM (cosign.pub) or the public key of a certificate PEM. */
export function loadPublicKey(text: string, where: string): KeyObject {
  const block = parsePem(text).find((b) => b.type === 'PUBLIC KEY' || b.type === 'CERTIFICATE');
  if (!block)
    throw new SigningError(
      'KEY_INVALID',
      `${where} holds no "PUBLIC KEY" PEM block`,
      'Pass the cosign.pub written by "oci-gitops keygen" or "cosign generate-key-pair"',
    );
  try {
    return block.type === 'PUBLIC KEY'
      ? createPublicKey({ key: block.der, format: 'der', type: 'spki' })
      : createPublicKey(toPem('CERTIFICATE', block.der));
  } catch (error) {
    throw new SigningError('KEY_INVALID', `${where} holds a public key Node cannot read: ${errorMessage(error)}`);
  }
}

/** Loads an unencrypted PEM private key (PKCS#8, SEC1 or PKCS#1), as notation's key files are. */
export function loadPlainPrivateKey(text: string, where: string): KeyObject {
  const block = parsePem(text).find((b) => ['PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY'].includes(b.type));
  if (!block) {
    const encrypted = parsePem(text).some((b) => b.type.startsWith('ENCRYPTED'));
    throw new SigningError(
      'KEY_INVALID',
      `${where} holds no unencrypted private key PEM block${encrypted ? ' (it is encrypted)' : ''}`,
      'Pass the PEM key that belongs to the signing certificate',
    );
  }
  try {
    return createPrivateKey(toPem(block.type, block.der));
  } catch (error) {
    throw new SigningError('KEY_INVALID', `${where} holds a private key Node cannot read: ${errorMessage(error).split('\n')[0]}`);
  }
}

/** Whether two keys are the same public key (compared on SPKI bytes). */
export function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  const spki = (k: KeyObject) => (k.type === 'private' ? createPublicKey(k) : k).export({ type: 'spki', format: 'der' });
  return spki(a).equals(spki(b));
}
