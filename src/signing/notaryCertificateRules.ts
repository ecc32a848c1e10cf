import { X509Certificate as NodeCertificate } from 'node:crypto';
import { X509Certificate as ParsedCertificate, type ASN1Obj } from '@sigstore/core';
import { OID, SHA1_SIGNATURE_OIDS } from './x509Oids';
import { errorMessage } from '../text/format';

/**
 * Notary Project's certificate requirements (specs/signature-specification.md, notation-core-go
 * x509/codesigning_cert_validations.go), as notation checks an `x5c` chain: ordered leaf → root,
 * each certificate issued and signed by the next, ending in a self-signed root. A lone
 * self-signed certificate is validated as a leaf. Returns every problem found; empty means valid.
 */
export function certificateChainProblems(chain: Buffer[], at: Date): string[] {
  if (chain.length === 0) return ['the certificate chain is empty'];
  const problems: string[] = [];
  let nodes: NodeCertificate[];
  let parsed: ParsedCertificate[];
  try {
    nodes = chain.map((d) => new NodeCertificate(d));
    parsed = chain.map((d) => ParsedCertificate.parse(Buffer.from(d)));
  } catch (error) {
    return [`a certificate in the chain cannot be parsed (${errorMessage(error)})`];
  }
  for (let i = 0; i < nodes.length; i++) {
    const label = i === 0 ? `leaf certificate "${subjectOf(nodes[i])}"` : `CA certificate "${subjectOf(nodes[i])}"`;
    const issuer = i + 1 < nodes.length ? nodes[i + 1] : nodes[i];
    // Subject/issuer names are compared as DER, and the signature with the issuer's key.
    if (!parsed[i].issuer.equals(i + 1 < nodes.length ? parsed[i + 1].subject : parsed[i].subject)) {
      problems.push(
        i + 1 < nodes.length
          ? `${label} was not issued by the next certificate in the chain`
          : `the chain does not end in a self-signed root (${label} is issued by "${nodes[i].issuer.replace(/\n/g, ', ')}")`,
      );
    } else if (!safeVerify(nodes[i], issuer)) {
      problems.push(`${label}'s signature does not verify with its issuer's key`);
    }
    problems.push(...algorithmProblems(parsed[i], nodes[i], label));
    const notBefore = new Date(nodes[i].validFrom);
    const notAfter = new Date(nodes[i].validTo);
    if (at < notBefore) problems.push(`${label} is not valid before ${notBefore.toISOString()}`);
    if (at > notAfter) problems.push(`${label} expired on ${notAfter.toISOString()}`);
    problems.push(...(i === 0 ? leafProblems(parsed[i], label) : caProblems(parsed[i], label, i - 1)));
    problems.push(...unknownCriticalExtensions(parsed[i], label));
  }
  return problems;
}

function subjectOf(cert: NodeCertificate): string {
  return /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1] ?? cert.subject.replace(/\n/g, ', ');
}

function safeVerify(cert: NodeCertificate, issuer: NodeCertificate): boolean {
  try {
    return cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function algorithmProblems(parsed: ParsedCertificate, node: NodeCertificate, label: string): string[] {
  const problems: string[] = [];
  const signatureOid = (parsed.root.subs[1] as ASN1Obj).subs[0].toOID();
  if (SHA1_SIGNATURE_OIDS.includes(signatureOid)) problems.push(`${label} is signed with SHA-1, which Notary Project forbids`);
  const key = node.publicKey;
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength;
    if (![2048, 3072, 4096].includes(bits ?? 0))
      problems.push(`${label} has an RSA ${bits}-bit key; Notary Project allows 2048, 3072 or 4096`);
  } else if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (!['prime256v1', 'secp384r1', 'secp521r1'].includes(curve ?? ''))
      problems.push(`${label} has an EC key on ${curve}; Notary Project allows P-256, P-384 or P-521`);
  } else {
    problems.push(`${label} has a ${key.asymmetricKeyType} key; Notary Project allows RSA or ECDSA`);
  }
  return problems;
}

/** keyUsage bits as X.509 numbers them: 0 digitalSignature … 8 decipherOnly. */
function keyUsageBits(parsed: ParsedCertificate): { critical: boolean; bits: number[] } | undefined {
  const ext = parsed.extension(OID.keyUsage);
  if (!ext) return undefined;
  // extnValue is an OCTET STRING wrapping the DER of the extension's value.
  return { critical: ext.critical, bits: ext.valueObj.subs[0].toBitString() };
}

const LEAF_FORBIDDEN_USAGES: Record<number, string> = {
  2: 'keyEncipherment',
  3: 'dataEncipherment',
  4: 'keyAgreement',
  5: 'keyCertSign',
  6: 'cRLSign',
  7: 'encipherOnly',
  8: 'decipherOnly',
};
const LEAF_FORBIDDEN_EKUS: Record<string, string> = {
  [OID.ekuServerAuth]: 'serverAuth',
  [OID.ekuClientAuth]: 'clientAuth',
  [OID.ekuEmailProtection]: 'emailProtection',
  [OID.ekuTimeStamping]: 'timeStamping',
  [OID.ekuOcspSigning]: 'OCSPSigning',
  [OID.ekuAny]: 'anyExtendedKeyUsage',
};

function leafProblems(parsed: ParsedCertificate, label: string): string[] {
  const problems: string[] = [];
  const usage = keyUsageBits(parsed);
  if (!usage) problems.push(`${label} has no keyUsage extension; code-signing certificates need a critical keyUsage with digitalSignature`);
  else {
    if (!usage.critical) problems.push(`${label}'s keyUsage extension is not marked critical`);
    if (usage.bits[0] !== 1) problems.push(`${label}'s keyUsage lacks digitalSignature`);
    for (const [bit, name] of Object.entries(LEAF_FORBIDDEN_USAGES))
      if (usage.bits[Number(bit)] === 1) problems.push(`${label}'s keyUsage includes ${name}, which a signing certificate must not have`);
  }
  const eku = parsed.extension(OID.extKeyUsage);
  if (eku) {
    for (const oid of eku.valueObj.subs[0].subs.map((s) => s.toOID())) {
      if (LEAF_FORBIDDEN_EKUS[oid])
        problems.push(`${label}'s extended key usage includes ${LEAF_FORBIDDEN_EKUS[oid]}; only codeSigning is allowed`);
    }
  }
  const basic = parsed.extBasicConstraints;
  if (basic?.isCA) problems.push(`${label} is marked as a CA (basicConstraints cA=true); a signing certificate must not be`);
  return problems;
}

function caProblems(parsed: ParsedCertificate, label: string, certificatesBelow: number): string[] {
  const problems: string[] = [];
  const basic = parsed.extBasicConstraints;
  if (!basic) problems.push(`${label} has no basicConstraints extension`);
  else {
    if (!basic.critical) problems.push(`${label}'s basicConstraints extension is not marked critical`);
    if (!basic.isCA) problems.push(`${label} is not a CA (basicConstraints cA=false) but issues another certificate in the chain`);
    const pathLen = basic.pathLenConstraint;
    if (pathLen !== undefined && BigInt(certificatesBelow) > pathLen)
      problems.push(`${label}'s pathLenConstraint ${pathLen} is exceeded by the chain`);
  }
  const usage = keyUsageBits(parsed);
  if (!usage) problems.push(`${label} has no keyUsage extension`);
  else {
    if (!usage.critical) problems.push(`${label}'s keyUsage extension is not marked critical`);
    if (usage.bits[5] !== 1) problems.push(`${label}'s keyUsage lacks keyCertSign`);
  }
  return problems;
}

const HANDLED_EXTENSIONS: readonly string[] = [
  OID.keyUsage,
  OID.basicConstraints,
  OID.extKeyUsage,
  OID.subjectKeyIdentifier,
  OID.authorityKeyIdentifier,
  '2.5.29.17',
];

/** Go's x509 (and so notation) refuses certificates with critical extensions it does not handle. */
function unknownCriticalExtensions(parsed: ParsedCertificate, label: string): string[] {
  return parsed.extensions
    .map((e) => ({ oid: e.subs[0].toOID(), critical: e.subs.length === 3 && e.subs[1].toBoolean() }))
    .filter((e) => e.critical && !HANDLED_EXTENSIONS.includes(e.oid))
    .map((e) => `${label} has an unhandled critical extension ${e.oid}`);
}

export function certificateSubject(der: Buffer): string {
  return new NodeCertificate(der).subject.split('\n').reverse().join(',');
}
