import type { KeyObject } from 'node:crypto';
import type { TrustMaterial } from '@sigstore/verify';
import {
  loadPublicKey,
  matchIdentity,
  parsePem,
  toPem,
  type OidcIdentity,
  type SignatureFormat,
  type VerificationTrust,
} from '../../../signing';
import { errorMessage } from '../../../text/format';
import type { CandidateEvidence, Check } from '../contract';

/** What one attestor, authority or requirement concludes before a rule combines them. */
export interface Verdict {
  outcome: 'pass' | 'fail' | 'out-of-reach';
  reason: string;
}

export interface AdmissionOptions {
  /**
   * The Sigstore trusted root a controller uses when a policy names none (the public-good root,
   * or the private one the cluster is set up with). Without it a keyless attestor can still fail
   * on the certificate's identity, but cannot pass: the public root comes through TUF, which this
   * module never fetches.
   */
  sigstoreTrustedRoot?: TrustMaterial;
}

export const pass = (reason: string): Verdict => ({ outcome: 'pass', reason });
export const fail = (reason: string): Verdict => ({ outcome: 'fail', reason });
export const outOfReach = (reason: string): Verdict => ({ outcome: 'out-of-reach', reason });

const FORMAT_NAMES: Record<SignatureFormat, string> = {
  cosign: 'cosign .sig',
  'sigstore-bundle': 'Sigstore bundle',
  notation: 'notation',
};

/**
 * Verifies the candidate against one attestor's trust, counting only the signature formats the
 * controller reads for it (Kyverno `type: Cosign` reads the `.sig` tag, `SigstoreBundle` bundle
 * referrers, `Notary` notation referrers).
 */
export async function verifyAgainst(
  evidence: CandidateEvidence,
  trust: VerificationTrust,
  formats: SignatureFormat[],
  what: string,
): Promise<Verdict> {
  let result;
  try {
    result = await evidence.verify(trust);
  } catch (error) {
    return outOfReach(`${what}: the candidate's signatures could not be read (${errorMessage(error)})`);
  }
  const relevant = result.signatures.filter((s) => formats.includes(s.format));
  const verified = relevant.find((s) => s.status === 'verified');
  if (verified) return pass(`${what}: ${verified.location} verifies${verified.signer ? ` (signed by ${verified.signer})` : ''}`);
  const wanted = formats.map((f) => FORMAT_NAMES[f]).join(' or ');
  if (relevant.length === 0) {
    const others = [...new Set(result.signatures.map((s) => FORMAT_NAMES[s.format]))];
    return fail(
      `${what}: no ${wanted} signature is attached${others.length > 0 ? ` (the candidate has ${others.join(', ')} signatures, which this check does not read)` : ''}`,
    );
  }
  return fail(`${what}: ${relevant.map((s) => `${s.location}: ${s.reason}`).join('; ')}`);
}

/** No keys at all: what the signatures are, and who keyless certificates name, unverified. One object, so the evidence's per-trust cache serves every caller. */
export const NO_TRUST: VerificationTrust = Object.freeze({});

/** The signature formats a keyless attestor reads, as its controller is set up to. */
type KeylessFormat = Extract<SignatureFormat, 'sigstore-bundle' | 'cosign'>;

const KEYLESS_NAMES: Record<KeylessFormat, string> = {
  'sigstore-bundle': 'keyless Sigstore bundle',
  cosign: 'keyless .sig (a layer with a Fulcio certificate)',
};

/**
 * A keyless attestor: signatures of `format` (Sigstore bundles, or cosign 2 `.sig` layers with a
 * Fulcio certificate) whose certificate chains to the trusted root and names one of `identities`.
 * Without a root the identity is still read from the certificate: a mismatch refuses whatever the
 * root says, a match leaves the chain out of reach.
 */
export async function verifyKeyless(
  evidence: CandidateEvidence,
  root: TrustMaterial | undefined,
  identities: OidcIdentity[],
  where: string,
  format: KeylessFormat = 'sigstore-bundle',
): Promise<Verdict> {
  if (root) return verifyAgainst(evidence, { keyless: { trustedRoot: root, identities } }, [format], where);
  const found = await evidence.verify(NO_TRUST);
  const named = found.signatures.filter((s) => s.format === format && s.identity);
  if (named.length === 0) return fail(`${where}: no ${KEYLESS_NAMES[format]} signature is attached`);
  let matches;
  try {
    matches = named.map((s) => ({ identity: s.identity!, match: matchIdentity(s.identity!, identities) }));
  } catch (error) {
    return fail(`${where}: ${errorMessage(error)}`);
  }
  const matching = matches.find((m) => m.match.ok);
  if (!matching) return fail(`${where}: ${matches[0].match.reason}`);
  return outOfReach(
    `${where}: the certificate names ${matching.identity.subject} (issuer ${matching.identity.issuer}), which ${matching.match.reason.replace(/^the identity /, 'the policy identity ')}, but its chain is checked against the Sigstore root the cluster uses, which is not configured here`,
  );
}

/**
 * A keyless attestor that reads the legacy `.sig` tag (Kyverno `type: Cosign`, policy-controller
 * without `signatureFormat: bundle`): with no `.sig` signature at all it fails, saying which
 * setting would read the bundles the candidate may have instead.
 */
export async function verifyLegacyKeyless(
  evidence: CandidateEvidence,
  root: TrustMaterial | undefined,
  identities: OidcIdentity[],
  where: string,
  bundleSetting: string,
): Promise<Verdict> {
  const found = await evidence.verify(NO_TRUST);
  if (found.signatures.some((s) => s.format === 'cosign')) return verifyKeyless(evidence, root, identities, where, 'cosign');
  const bundles = found.signatures.some((s) => s.format === 'sigstore-bundle');
  return fail(
    `${where}: no .sig signature is attached${bundles ? `; the candidate has Sigstore bundle signatures, which ${bundleSetting}` : ''}`,
  );
}

/** Every public key in a PEM text (Kyverno treats each as its own attestor entry). */
export function publicKeysIn(pem: string, where: string): Array<{ name: string; key: KeyObject }> {
  const blocks = parsePem(pem).filter((b) => b.type === 'PUBLIC KEY');
  return blocks.map((b, i) => ({
    name: blocks.length === 1 ? 'the policy key' : `policy key ${i + 1}`,
    key: loadPublicKey(toPem('PUBLIC KEY', b.der), where),
  }));
}

/** Certificates (DER) in a PEM text. */
export function certificatesIn(pem: string): Buffer[] {
  return parsePem(pem)
    .filter((b) => b.type === 'CERTIFICATE')
    .map((b) => b.der);
}

/** Patterns that are alternatives: a value matches when any does; none means "anything". */
export function eitherPattern(patterns: Array<string | undefined>): string {
  const present = patterns.filter((p): p is string => p !== undefined && p !== '');
  if (present.length <= 1) return present[0] ?? '';
  return present.map((p) => `(?:${p})`).join('|');
}

/**
 * Combines verdicts that must all pass: one failure fails, else one out of reach makes the whole
 * out of reach. The reasons keep their order.
 */
export function allOf(verdicts: Verdict[]): Verdict {
  const outcome = verdicts.some((v) => v.outcome === 'fail')
    ? 'fail'
    : verdicts.some((v) => v.outcome === 'out-of-reach')
      ? 'out-of-reach'
      : 'pass';
  return { outcome, reason: verdicts.map((v) => v.reason).join('; ') };
}

/** At least `required` of the verdicts must pass; out of reach when the unknown ones could still make it. */
export function atLeast(required: number, verdicts: Verdict[]): Verdict {
  const passed = verdicts.filter((v) => v.outcome === 'pass').length;
  const unknown = verdicts.filter((v) => v.outcome === 'out-of-reach').length;
  const outcome = passed >= required ? 'pass' : passed + unknown >= required ? 'out-of-reach' : 'fail';
  const shown = outcome === 'pass' ? verdicts.filter((v) => v.outcome === 'pass') : verdicts;
  const tally = `${passed} of ${required} required verified${unknown > 0 ? `, ${unknown} not checkable here` : ''}`;
  return { outcome, reason: `${tally}: ${shown.map((v) => v.reason).join('; ')}` };
}

/** A rule's verdict as a Check; a failure of a rule that only audits or warns becomes `warn`. */
export function toCheck(check: string, verdict: Verdict, blocking: boolean, declaredAt: Check['declaredAt']): Check {
  const outcome = verdict.outcome === 'fail' && !blocking ? 'warn' : verdict.outcome;
  return { check, outcome, detail: verdict.reason, ...(declaredAt ? { declaredAt } : {}) };
}
