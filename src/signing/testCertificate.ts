import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { der } from './derWriter';
import { OID } from './x509Oids';
import { toPem } from './pem';

/**
 * A self-signed code-signing certificate for notation, like `notation cert generate-test`.
 *
 * Built here in DER rather than by shelling out to `openssl`: the extension runs on machines
 * (Windows, minimal containers) that may have no openssl, and openssl's defaults would have to be
 * overridden extension by extension anyway to meet Notary Project's rules. Node can sign the
 * TBSCertificate itself; what it lacks is only the DER assembly, which is small. Tests check the
 * result with Node's X509Certificate and, where present, `openssl verify -purpose codesign`.
 *
 * Notary Project rules met: a single self-signed certificate is validated as a leaf, so keyUsage
 * is critical with only digitalSignature (no keyCertSign); EKU is codeSigning only; basicConstraints
 * is present, critical, cA=false; ECDSA P-256 with SHA-256 (no SHA-1); valid from a minute ago.
 */
export interface TestCertificateOptions {
  /** The CN; notation uses the key name. */
  commonName: string;
  /** Days of validity (notation's default is 365). */
  days?: number;
  /** For tests: a certificate valid in another window. */
  notBefore?: Date;
  notAfter?: Date;
}

export interface TestCertificate {
  privateKey: KeyObject;
  /** PKCS#8 PEM: what `--notation-key` takes. */
  privateKeyPem: string;
  certificatePem: string;
  certificateDer: Buffer;
  subject: string;
}

export function generateTestCertificate(options: TestCertificateOptions): TestCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const now = Date.now();
  const notBefore = options.notBefore ?? new Date(now - 60_000);
  const notAfter = options.notAfter ?? new Date(now + (options.days ?? 365) * 86_400_000);
  const name = distinguishedName(options.commonName);
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  // RFC 5280 method 1: SHA-1 of the subjectPublicKey BIT STRING contents (an identifier, not a signature).
  const keyId = createHash('sha1')
    .update(spki.subarray(spki.length - 65))
    .digest();
  const algorithm = der.sequence(der.oid(OID.ecdsaWithSha256));
  const extensions = der.sequence(
    extension(OID.keyUsage, true, der.bitString(Buffer.from([0x80]), 7)),
    extension(OID.basicConstraints, true, der.sequence()),
    extension(OID.extKeyUsage, false, der.sequence(der.oid(OID.ekuCodeSigning))),
    extension(OID.subjectKeyIdentifier, false, der.octetString(keyId)),
  );
  const tbs = der.sequence(
    der.explicit(0, der.integer(2)),
    der.integer(serial),
    algorithm,
    name,
    der.sequence(der.time(notBefore), der.time(notAfter)),
    name,
    spki,
    der.explicit(3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificateDer = der.sequence(tbs, algorithm, der.bitString(signature));
  return {
    privateKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificatePem: toPem('CERTIFICATE', certificateDer),
    certificateDer,
    subject: `CN=${options.commonName},O=Notary,L=Seattle,ST=WA,C=US`,
  };
}

/** notation generate-test's subject layout: C=US, ST=WA, L=Seattle, O=Notary, CN=<name>. */
function distinguishedName(commonName: string): Buffer {
  const rdn = (oid: string, value: Buffer) => der.set(der.sequence(der.oid(oid), value));
  return der.sequence(
    rdn(OID.country, der.printableString('US')),
    rdn(OID.state, der.utf8String('WA')),
    rdn(OID.locality, der.utf8String('Seattle')),
    rdn(OID.organization, der.utf8String('Notary')),
    rdn(OID.commonName, der.utf8String(commonName)),
  );
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? der.sequence(der.oid(oid), der.boolean(true), der.octetString(value))
    : der.sequence(der.oid(oid), der.octetString(value));
}
