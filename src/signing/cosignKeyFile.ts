import { createPrivateKey, generateKeyPairSync, randomBytes, scrypt, type KeyObject } from 'node:crypto';
import { xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { fromStdBase64 } from './base64url';
import { SigningError } from './errors';
import { assertCosignSigningKey, publicKeyPem } from './keys';
import { parsePem, toPem } from './pem';
import { errorMessage } from '../text/format';

/**
 * Cosign's encrypted private key file (cosign pkg/cosign/keys.go, go-securesystemslib
 * encrypted/encrypted.go): a PEM block whose body is JSON — scrypt parameters and salt, a NaCl
 * secretbox nonce, and the secretbox (Poly1305 tag ‖ XSalsa20 ciphertext) of the PKCS#8 DER key.
 */
export const SIGSTORE_PRIVATE_KEY_PEM = 'ENCRYPTED SIGSTORE PRIVATE KEY';
/** The label cosign wrote before v2.0.1; still accepted by LoadPrivateKey. */
export const COSIGN_PRIVATE_KEY_PEM = 'ENCRYPTED COSIGN PRIVATE KEY';

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** The only parameter sets go-securesystemslib decrypts; anything else is "unsupported scrypt parameters". */
const ACCEPTED_SCRYPT: readonly ScryptParams[] = [
  { N: 32768, r: 8, p: 1 },
  { N: 65536, r: 8, p: 1 },
  { N: 131072, r: 8, p: 1 },
];
/** What cosign generate-key-pair writes today. */
const DEFAULT_SCRYPT: ScryptParams = { N: 65536, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 32;
const NONCE_LENGTH = 24;
/** Node's default scrypt maxmem (32 MiB) is below what even N=32768 needs (128·N·r = 32 MiB + overhead). */
const SCRYPT_MAXMEM = 256 * 1024 * 1024;

interface EncryptedKeyJson {
  kdf: { name: string; params: ScryptParams; salt: string };
  cipher: { name: string; nonce: string };
  ciphertext: string;
}

export interface CosignKeyPair {
  /** `cosign.key`: write with mode 0600. */
  privateKeyPem: string;
  /** `cosign.pub` */
  publicKeyPem: string;
}

/** A new ECDSA P-256 key pair in cosign's file formats (cosign generate-key-pair's default). */
export async function generateCosignKeyPair(password: string): Promise<CosignKeyPair> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKeyPem: await encryptCosignPrivateKey(privateKey, password), publicKeyPem: publicKeyPem(privateKey) };
}

/** Encrypts a private key as cosign does; `params` defaults to the current cosign default. */
export async function encryptCosignPrivateKey(key: KeyObject, password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  assertAccepted(params, 'the requested scrypt parameters');
  const salt = randomBytes(SALT_LENGTH);
  const nonce = randomBytes(NONCE_LENGTH);
  const secret = await deriveKey(password, salt, params);
  const plaintext = key.export({ type: 'pkcs8', format: 'der' });
  const ciphertext = xsalsa20poly1305(secret, nonce).encrypt(plaintext);
  secret.fill(0);
  plaintext.fill(0);
  // Field order and padded standard base64 for []byte fields match Go's json.Marshal output.
  const json: EncryptedKeyJson = {
    kdf: { name: 'scrypt', params: { N: params.N, r: params.r, p: params.p }, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: Buffer.from(ciphertext).toString('base64'),
  };
  return toPem(SIGSTORE_PRIVATE_KEY_PEM, Buffer.from(JSON.stringify(json)));
}

/**
 * Decrypts a cosign private key file (either PEM label, any accepted scrypt set). The plaintext
 * must be PKCS#8, as cosign requires. `where` names the file in errors; the password never appears.
 */
export async function loadCosignPrivateKey(text: string, password: string, where: string): Promise<KeyObject> {
  const block = parsePem(text).find((b) => b.type === SIGSTORE_PRIVATE_KEY_PEM || b.type === COSIGN_PRIVATE_KEY_PEM);
  if (!block) {
    throw new SigningError(
      'KEY_INVALID',
      `${where} is not a cosign private key (no "${SIGSTORE_PRIVATE_KEY_PEM}" or "${COSIGN_PRIVATE_KEY_PEM}" PEM block)`,
      'Pass the cosign.key written by "oci-gitops keygen" or "cosign generate-key-pair"',
    );
  }
  const json = parseKeyJson(block.der, where);
  assertAccepted(json.kdf.params, `${where}`);
  let salt: Buffer, nonce: Buffer, sealed: Buffer;
  try {
    salt = fromStdBase64(json.kdf.salt, 'kdf.salt');
    nonce = fromStdBase64(json.cipher.nonce, 'cipher.nonce');
    sealed = fromStdBase64(json.ciphertext, 'ciphertext');
  } catch (error) {
    throw new SigningError('KEY_INVALID', `${where} is damaged: ${errorMessage(error)}`);
  }
  if (nonce.length !== NONCE_LENGTH)
    throw new SigningError('KEY_INVALID', `${where} is damaged: the secretbox nonce has ${nonce.length} bytes, not ${NONCE_LENGTH}`);
  const secret = await deriveKey(password, salt, json.kdf.params);
  let plaintext: Uint8Array;
  try {
    plaintext = xsalsa20poly1305(secret, nonce).decrypt(sealed);
  } catch {
    throw new SigningError(
      'WRONG_PASSWORD',
      `Could not decrypt ${where}: the password is wrong (or the file is damaged)`,
      'Check the password (COSIGN_PASSWORD in the CLI)',
    );
  } finally {
    secret.fill(0);
  }
  try {
    return createPrivateKey({ key: Buffer.from(plaintext), format: 'der', type: 'pkcs8' });
  } catch {
    throw new SigningError(
      'KEY_INVALID',
      `${where} decrypted, but the key inside is not PKCS#8 (cosign refuses such keys too)`,
      'Re-import the key with "cosign import-key-pair" or generate a new pair',
    );
  } finally {
    plaintext.fill(0);
  }
}

function parseKeyJson(der: Buffer, where: string): EncryptedKeyJson {
  let json: EncryptedKeyJson;
  try {
    json = JSON.parse(der.toString('utf8')) as EncryptedKeyJson;
  } catch {
    throw new SigningError('KEY_INVALID', `${where} is damaged: its PEM body is not JSON`);
  }
  if (json?.kdf?.name !== 'scrypt')
    throw new SigningError('KEY_INVALID', `${where} uses key derivation "${String(json?.kdf?.name)}"; cosign keys use scrypt`);
  if (json.cipher?.name !== 'nacl/secretbox')
    throw new SigningError('KEY_INVALID', `${where} uses cipher "${String(json.cipher?.name)}"; cosign keys use nacl/secretbox`);
  if (typeof json.kdf.params !== 'object' || json.kdf.params === null)
    throw new SigningError('KEY_INVALID', `${where} is damaged: no scrypt parameters`);
  return json;
}

function assertAccepted(params: ScryptParams, where: string): void {
  if (!ACCEPTED_SCRYPT.some((a) => a.N === params.N && a.r === params.r && a.p === params.p)) {
    throw new SigningError(
      'KEY_UNSUPPORTED',
      `${where}: unsupported scrypt parameters N=${params.N} r=${params.r} p=${params.p} (cosign accepts N=32768/65536/131072 with r=8 p=1)`,
    );
  }
}

function deriveKey(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      Buffer.from(password, 'utf8'),
      salt,
      KEY_LENGTH,
      { N: params.N, r: params.r, p: params.p, maxmem: SCRYPT_MAXMEM },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** Loads a cosign key and checks it can make signatures Flux verifies. */
export async function loadCosignSigningKey(text: string, password: string, where: string): Promise<KeyObject> {
  const key = await loadCosignPrivateKey(text, password, where);
  assertCosignSigningKey(key, where);
  return key;
}
