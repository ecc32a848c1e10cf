import type { KeyObject } from 'node:crypto';
import { SigningError } from './errors';
import { loadPlainPrivateKey, samePublicKey } from './keys';
import { parsePem } from './pem';
import { X509Certificate } from 'node:crypto';
import { errorMessage } from '../text/format';

/**
 * Loads notation's signing material as `notation key add --plugin …`-less local signing uses it:
 * an unencrypted PEM private key, and a PEM file with the certificate chain, leaf first (the
 * order x5c needs). The key must belong to the first certificate.
 */
export function loadNotationSigningMaterial(
  keyText: string,
  keyWhere: string,
  chainText: string,
  chainWhere: string,
): { key: KeyObject; chain: Buffer[] } {
  const key = loadPlainPrivateKey(keyText, keyWhere);
  const chain = parsePem(chainText)
    .filter((b) => b.type === 'CERTIFICATE')
    .map((b) => b.der);
  if (chain.length === 0)
    throw new SigningError(
      'CERTIFICATE_INVALID',
      `${chainWhere} holds no "CERTIFICATE" PEM block`,
      'Pass the certificate chain, signing certificate first',
    );
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(chain[0]);
  } catch (error) {
    throw new SigningError('CERTIFICATE_INVALID', `The first certificate in ${chainWhere} cannot be read: ${errorMessage(error)}`);
  }
  if (!samePublicKey(leaf.publicKey, key))
    throw new SigningError(
      'CERTIFICATE_INVALID',
      `${keyWhere} is not the key of the first certificate in ${chainWhere}`,
      'Put the signing certificate first in the chain file, followed by its issuers',
    );
  return { key, chain };
}
