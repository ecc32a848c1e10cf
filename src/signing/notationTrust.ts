import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SigningError } from './errors';
import { parsePem } from './pem';
import { errorMessage } from '../text/format';

/**
 * Notary Project trust: certificates in named trust stores, and a trust policy that says which
 * stores and identities are trusted for which repositories (specs/trust-store-trust-policy.md).
 *
 * A trust folder written here serves both consumers:
 * - the notation CLI: `truststore/x509/ca/<name>/<name>.pem` and `trustpolicy.json`, the layout of
 *   `$NOTATION_CONFIG` (notation-go dir/path.go uses `truststore`, not the spec's `trust-store`);
 * - Flux: `trustpolicy.json` plus `<name>.pem` at the top, which become the keys of the Secret
 *   referenced by `spec.verify.secretRef` (Flux ignores store names and trusts every certificate).
 */
export interface TrustPolicy {
  name: string;
  registryScopes: string[];
  signatureVerification: { level: string; override?: Record<string, string> };
  trustStores: string[];
  trustedIdentities: string[];
}

export interface TrustPolicyDocument {
  version: string;
  trustPolicies: TrustPolicy[];
}

export interface NotationTrust {
  policy: TrustPolicyDocument;
  /** `ca:<name>` (or `signingAuthority:<name>`) → DER certificates. */
  stores: Map<string, Buffer[]>;
  /** Top-level certificates (the Flux Secret layout): Flux trusts them whatever store the policy names. */
  secretCertificates: Buffer[];
  folder: string;
}

const STORE_TYPES = ['ca', 'signingAuthority'];
const CERT_FILE = /\.(pem|crt|cer)$/i;

export function trustPolicyDocument(storeName: string, subject?: string): TrustPolicyDocument {
  return {
    version: '1.0',
    trustPolicies: [
      {
        name: storeName,
        registryScopes: ['*'],
        signatureVerification: { level: 'strict' },
        trustStores: [`ca:${storeName}`],
        trustedIdentities: [subject ? `x509.subject: ${subject}` : '*'],
      },
    ],
  };
}

/** Writes the trust folder for one certificate; returns the files written, relative to `folder`. */
export function writeNotationTrustFolder(folder: string, storeName: string, certificatePem: string, subject?: string): string[] {
  if (!/^[A-Za-z0-9_.-]+$/.test(storeName))
    throw new SigningError('TRUST_INVALID', `"${storeName}" cannot name a trust store: use letters, digits, '.', '_' or '-'`);
  const storeDir = join(folder, 'truststore', 'x509', 'ca', storeName);
  mkdirSync(storeDir, { recursive: true });
  const policy = `${JSON.stringify(trustPolicyDocument(storeName, subject), null, 2)}\n`;
  const files: Array<[string, string]> = [
    [join('truststore', 'x509', 'ca', storeName, `${storeName}.pem`), certificatePem],
    [`${storeName}.pem`, certificatePem],
    ['trustpolicy.json', policy],
  ];
  for (const [path, text] of files) writeFileSync(join(folder, path), text);
  return files.map(([path]) => path);
}

/** Reads a trust folder in either layout (notation config dir or Flux Secret files). */
export function loadNotationTrust(folder: string): NotationTrust {
  const policyFile = ['trustpolicy.oci.json', 'trustpolicy.json'].map((f) => join(folder, f)).find((f) => existsSync(f));
  if (!policyFile)
    throw new SigningError(
      'TRUST_INVALID',
      `${folder} has no trustpolicy.json`,
      'Point --notation-trust at a folder made by "Generate Test Certificate…" or at your notation config folder',
    );
  let policy: TrustPolicyDocument;
  try {
    policy = JSON.parse(readFileSync(policyFile, 'utf8')) as TrustPolicyDocument;
  } catch (error) {
    throw new SigningError('TRUST_INVALID', `${policyFile} is not valid JSON: ${errorMessage(error)}`);
  }
  if (policy?.version !== '1.0' || !Array.isArray(policy.trustPolicies))
    throw new SigningError('TRUST_INVALID', `${policyFile} is not a version "1.0" trust policy with a trustPolicies list`);
  const stores = new Map<string, Buffer[]>();
  for (const type of STORE_TYPES) {
    const typeDir = join(folder, 'truststore', 'x509', type);
    if (!existsSync(typeDir)) continue;
    for (const name of readdirSync(typeDir)) {
      const dir = join(typeDir, name);
      if (!statSync(dir).isDirectory()) continue;
      stores.set(
        `${type}:${name}`,
        readdirSync(dir)
          .filter((f) => CERT_FILE.test(f))
          .flatMap((f) => certificatesIn(join(dir, f))),
      );
    }
  }
  const secretCertificates = readdirSync(folder)
    .filter((f) => CERT_FILE.test(f) && statSync(join(folder, f)).isFile())
    .flatMap((f) => certificatesIn(join(folder, f)));
  if (stores.size === 0 && secretCertificates.length === 0)
    throw new SigningError(
      'TRUST_INVALID',
      `${folder} holds no certificates (neither truststore/x509/… nor *.pem beside trustpolicy.json)`,
    );
  return { policy, stores, secretCertificates, folder };
}

function certificatesIn(file: string): Buffer[] {
  return parsePem(readFileSync(file, 'utf8'))
    .filter((b) => b.type === 'CERTIFICATE')
    .map((b) => b.der);
}

export interface TrustDecision {
  ok: boolean;
  reason: string;
  /** The policy level: "skip" means the policy disables verification for this scope. */
  level?: string;
}

/**
 * Applies the trust policy to a chain already checked for integrity: pick the policy whose
 * registryScopes match `registry/repository` (exact scope first, then "*"), then require that some
 * chain certificate byte-equals a certificate of its trust stores, and that the leaf subject holds
 * every attribute of a trusted identity (or identities are "*").
 */
export function notationTrustDecision(trust: NotationTrust, chain: Buffer[], scope: string): TrustDecision {
  const policies = trust.policy.trustPolicies;
  const policy = policies.find((p) => p.registryScopes?.includes(scope)) ?? policies.find((p) => p.registryScopes?.includes('*'));
  if (!policy) return { ok: false, reason: `no trust policy in ${trust.folder} covers ${scope}` };
  const level = policy.signatureVerification?.level ?? 'strict';
  if (level === 'skip') return { ok: false, level, reason: `trust policy "${policy.name}" skips verification for ${scope}` };
  const trusted = [...(policy.trustStores ?? []).flatMap((s) => trust.stores.get(s) ?? []), ...trust.secretCertificates];
  if (!chain.some((c) => trusted.some((t) => t.equals(c)))) {
    return {
      ok: false,
      level,
      reason: `no certificate of the signature's chain is in the trust stores of policy "${policy.name}" (${(policy.trustStores ?? []).join(', ') || 'none'})`,
    };
  }
  const identities = policy.trustedIdentities ?? [];
  if (identities.includes('*')) return { ok: true, level, reason: `trusted by policy "${policy.name}"` };
  const leaf = subjectAttributes(new X509Certificate(chain[0]).subject.split('\n'));
  const match = identities.find(
    (id) =>
      id.startsWith('x509.subject:') &&
      Object.entries(subjectAttributes(splitDn(id.slice('x509.subject:'.length)))).every(([k, v]) => leaf[k] === v),
  );
  return match
    ? { ok: true, level, reason: `trusted by policy "${policy.name}" for identity ${match}` }
    : { ok: false, level, reason: `the signing certificate's subject is not among the trusted identities of policy "${policy.name}"` };
}

/** Splits "C=US, ST=WA, CN=x" on commas that are not escaped. */
function splitDn(dn: string): string[] {
  return dn
    .split(/(?<!\\),/)
    .map((p) => p.trim())
    .filter(Boolean);
}

function subjectAttributes(parts: string[]): Record<string, string> {
  return Object.fromEntries(
    parts
      .map((p) => p.split('='))
      .filter((kv) => kv.length >= 2)
      .map(([k, ...v]) => [k.trim().toUpperCase(), v.join('=').trim()]),
  );
}
