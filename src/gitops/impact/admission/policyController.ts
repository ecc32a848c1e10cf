import { formatReference, type Reference } from '../../../oci';
import type { VerificationTrust } from '../../../signing';
import { errorMessage } from '../../../text/format';
import type { CandidateEvidence, Check } from '../contract';
import { compilePolicyControllerGlob, containerRegistryName, exactPattern } from './imagePatterns';
import { isObject, objects, text, type Json, type PolicyDocument } from './policyDocuments';
import type { AdmissionTarget } from './target';
import {
  eitherPattern,
  fail,
  outOfReach,
  pass,
  publicKeysIn,
  toCheck,
  verifyAgainst,
  verifyKeyless,
  verifyLegacyKeyless,
  type AdmissionOptions,
  type Verdict,
} from './verdicts';

// Sigstore policy-controller ClusterImagePolicy (policy.sigstore.dev v1alpha1 and v1beta1), as its
// webhook evaluates it at f925c0c1: pkg/apis/config/image_policies.go GetMatchingPolicies (globs
// against the image's name, match resources), pkg/webhook/validator.go ValidatePolicy (within a
// policy any authority passing suffices; mode warn downgrades failures) and validatePolicies
// (every matching policy must pass), checkOptsFromAuthority (which signature format each
// authority reads, and when the transparency log is required).

/** Whether a ClusterImagePolicy's images globs select the image. */
export function clusterImagePolicyMatches(policy: PolicyDocument, image: Reference): boolean {
  const name = containerRegistryName(image);
  const written = formatReference(image);
  return objects(policy.spec.images).some((entry) => {
    const glob = text(entry.glob);
    const regexp = glob ? compilePolicyControllerGlob(glob) : undefined;
    // Like glob.Match: the canonical name first, then the reference as written when it differs.
    return regexp !== undefined && (regexp.test(name) || (written !== name && regexp.test(written)));
  });
}

/** The check one matching ClusterImagePolicy applies, or undefined when its match resources leave the target out. */
export async function clusterImagePolicyCheck(
  policy: PolicyDocument,
  target: AdmissionTarget,
  evidence: CandidateEvidence,
  options: AdmissionOptions,
): Promise<Check | undefined> {
  const notes: string[] = [];
  const match = objects(policy.spec.match);
  if (match.length > 0) {
    const resource = `${target.kind.toLowerCase()}s`;
    const selected = match.filter((m) => text(m.resource) === resource);
    if (selected.length === 0) return undefined;
    if (selected.every((m) => m.resourceSelector !== undefined)) notes.push('match.resourceSelector is not evaluated');
  }
  const label = `policy-controller ClusterImagePolicy ${policy.name}`;
  const warnOnly = text(policy.spec.mode) === 'warn';
  const authorities = objects(policy.spec.authorities);
  let verdict: Verdict;
  if (authorities.length === 0) verdict = outOfReach('the policy has no authorities (policy-controller rejects it)');
  else {
    const verdicts: Verdict[] = [];
    for (const [index, authority] of authorities.entries()) verdicts.push(await authorityVerdict(authority, index, evidence, options));
    verdict = anyOf(verdicts);
  }
  if (verdict.outcome === 'pass' && isObject(policy.spec.policy))
    verdict = outOfReach(`${verdict.reason}; the policy-level ${text(policy.spec.policy.type) ?? ''} policy is not evaluated here`);
  const reason = `${verdict.reason}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}${warnOnly ? ' [mode: warn: reported, not blocked]' : ''}`;
  return toCheck(label, { ...verdict, reason }, !warnOnly, policy.at('spec', 'authorities'));
}

/** Within a policy any authority passing admits the image (ValidatePolicy). */
function anyOf(verdicts: Verdict[]): Verdict {
  const passed = verdicts.find((v) => v.outcome === 'pass');
  if (passed) return passed;
  const outcome = verdicts.some((v) => v.outcome === 'out-of-reach') ? 'out-of-reach' : 'fail';
  return { outcome, reason: `no authority passes: ${verdicts.map((v) => v.reason).join('; ')}` };
}

async function authorityVerdict(authority: Json, index: number, evidence: CandidateEvidence, options: AdmissionOptions): Promise<Verdict> {
  const where = `authorities[${index}]${text(authority.name) ? ` (${authority.name as string})` : ''}`;
  if (isObject(authority.static)) {
    const action = text(authority.static.action);
    if (action === 'pass') return pass(`${where}: static action pass`);
    if (action === 'fail')
      return fail(`${where}: static action fail${text(authority.static.message) ? `: ${authority.static.message as string}` : ''}`);
    return outOfReach(`${where}: static action ${JSON.stringify(action)} is neither pass nor fail`);
  }
  const sources = objects(authority.source);
  if (sources.some((s) => text(s.oci)))
    return outOfReach(
      `${where}: signatures are read from ${sources
        .map((s) => text(s.oci))
        .filter(Boolean)
        .join(', ')}, which is not fetched here`,
    );
  // An authority with attestations verifies those instead of a plain signature (ValidatePolicy).
  const attestations = objects(authority.attestations);
  if (attestations.length > 0) return attestationsVerdict(attestations, where, evidence);
  if (isObject(authority.key)) return keyVerdict(authority, authority.key, where, evidence);
  if (isObject(authority.keyless)) return keylessVerdict(authority, authority.keyless, where, evidence, options);
  if (isObject(authority.rfc3161timestamp)) return outOfReach(`${where}: timestamp-authority authorities are not evaluated here`);
  return outOfReach(`${where} has no key, keyless or static authority`);
}

async function keyVerdict(authority: Json, key: Json, where: string, evidence: CandidateEvidence): Promise<Verdict> {
  const data = text(key.data);
  if (!data)
    return outOfReach(
      `${where}: the key comes from ${isObject(key.secretRef) ? 'a Secret in the cluster' : `the KMS key ${text(key.kms) ?? '(none)'}`}, which is not read here`,
    );
  let trust: VerificationTrust;
  try {
    const keys = publicKeysIn(data, `${where}.key`);
    if (keys.length === 0) return fail(`${where}: key.data holds no PUBLIC KEY PEM block`);
    trust = { cosignKeys: keys };
  } catch (error) {
    return fail(`${where}: ${errorMessage(error)}`);
  }
  // Key authorities read the legacy .sig tag (the bundle format is for keyless authorities only).
  const verdict = await verifyAgainst(evidence, trust, ['cosign'], `${where}.key`);
  if (verdict.outcome === 'pass' && isObject(authority.ctlog))
    return outOfReach(
      `${verdict.reason}, but ctlog makes policy-controller also require the signature's Rekor entry, which is not checked here`,
    );
  return verdict;
}

async function keylessVerdict(
  authority: Json,
  keyless: Json,
  where: string,
  evidence: CandidateEvidence,
  options: AdmissionOptions,
): Promise<Verdict> {
  if (text(keyless.trustRootRef)) return outOfReach(`${where}: the TrustRoot ${keyless.trustRootRef as string} is not read here`);
  if (keyless['ca-cert'] !== undefined) return outOfReach(`${where}: the authority's own ca-cert is not read here`);
  const identities = objects(keyless.identities).map((id) => ({
    issuer: eitherPattern([text(id.issuer) && exactPattern(id.issuer as string), text(id.issuerRegExp)]),
    subject: eitherPattern([text(id.subject) && exactPattern(id.subject as string), text(id.subjectRegExp)]),
  }));
  if (identities.length === 0) return outOfReach(`${where}: no identities are listed`);
  if (text(authority.signatureFormat) !== 'bundle')
    return verifyLegacyKeyless(
      evidence,
      options.sigstoreTrustedRoot,
      identities,
      `${where}.keyless`,
      'policy-controller reads only with signatureFormat: bundle',
    );
  return verifyKeyless(evidence, options.sigstoreTrustedRoot, identities, `${where}.keyless`);
}

function attestationsVerdict(attestations: Json[], where: string, evidence: CandidateEvidence): Verdict {
  const reasons: string[] = [];
  for (const attestation of attestations) {
    const type = text(attestation.predicateType);
    const name = text(attestation.name) ?? type ?? '(unnamed)';
    if (!type || !evidence.attestationPredicateTypes.includes(type)) {
      return fail(`${where}: attestation ${name} requires a ${type ?? '(no predicateType)'} attestation, and none is attached`);
    }
    const policy = isObject(attestation.policy) ? ` and its ${text(attestation.policy.type) ?? ''} policy` : '';
    reasons.push(`attestation ${name}: a ${type} attestation is attached; who signed it${policy} are not checked here`);
  }
  return outOfReach(reasons.join('; '));
}
