import { formatReference, type Reference } from '../../../oci';
import type { VerificationTrust } from '../../../signing';
import { errorMessage } from '../../../text/format';
import type { CandidateEvidence, Check } from '../contract';
import { kyvernoImageString, kyvernoWildcardMatch, kyvernoWildcardPattern } from './imagePatterns';
import { isObject, objects, strings, text, type Json, type PolicyDocument } from './policyDocuments';
import { POD_CONTROLLERS, type AdmissionTarget } from './target';
import {
  allOf,
  atLeast,
  certificatesIn,
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

// Kyverno ClusterPolicy / Policy (kyverno.io/v1) `verifyImages` rules, evaluated as Kyverno's
// engine does at 111e07bbec: pkg/engine/internal/imageverifier.go (image matching, attestor sets
// and their count, attestations), pkg/engine/handlers/validation/validate_image.go (verifyDigest),
// pkg/image/verifiers/cpol/cosign (which signatures each type reads, keyless identity matching),
// api/kyverno/v1/image_verification_types.go (defaults: type Cosign, mutateDigest, verifyDigest and
// required true; count unset means every entry).

type ImageType = 'Cosign' | 'SigstoreBundle' | 'Notary';

interface RuleContext {
  policy: PolicyDocument;
  ruleIndex: number;
  rule: Json;
  image: Reference;
  target: AdmissionTarget;
  evidence: CandidateEvidence;
  options: AdmissionOptions;
}

/** The checks a Kyverno policy's verifyImages rules apply to `image` when `target` is admitted. */
export async function kyvernoChecks(
  policy: PolicyDocument,
  image: Reference,
  target: AdmissionTarget,
  evidence: CandidateEvidence,
  options: AdmissionOptions,
): Promise<Check[]> {
  if (policy.kind === 'Policy' && policy.namespace && target.namespace && policy.namespace !== target.namespace) return [];
  const checks: Check[] = [];
  for (const [ruleIndex, rule] of objects(policy.spec.rules).entries()) {
    const verifyImages = objects(rule.verifyImages);
    if (verifyImages.length === 0) continue;
    const scope = ruleScope(rule, target);
    if (!scope.applies) continue;
    for (const [index, verifyImage] of verifyImages.entries()) {
      const context = { policy, ruleIndex, rule, image, target, evidence, options };
      const check = await verifyImageCheck(context, verifyImage, index, verifyImages.length, scope.notes);
      if (check) checks.push(check);
    }
  }
  return checks;
}

async function verifyImageCheck(
  context: RuleContext,
  verifyImage: Json,
  index: number,
  count: number,
  scopeNotes: string[],
): Promise<Check | undefined> {
  const { policy, ruleIndex, rule, image, target } = context;
  const imageString = kyvernoImageString(image);
  const references = [...strings(verifyImage.imageReferences), ...(text(verifyImage.image) ? [verifyImage.image as string] : [])];
  const matched = references.find((pattern) => kyvernoWildcardMatch(pattern, imageString));
  if (!matched) return undefined;
  const ruleName = text(rule.name) ?? `rules[${ruleIndex}]`;
  const label = `Kyverno ${policy.kind} ${policy.name} / rule ${ruleName}${count > 1 ? ` verifyImages[${index}]` : ''}`;
  const declaredAt = policy.at('spec', 'rules', ruleIndex, 'verifyImages', index);
  const blocking = enforces(policy, verifyImage, target);
  const skipped = strings(verifyImage.skipImageReferences).find((pattern) => kyvernoWildcardMatch(pattern, imageString));
  if (skipped) return toCheck(label, pass(`${imageString} matches skipImageReferences "${skipped}": not verified`), blocking, declaredAt);

  if ((target.field ?? 'image-volume') === 'image-volume' && !extractsImageVolumes(rule))
    return {
      check: label,
      outcome: 'warn',
      detail:
        `${imageString} matches imageReferences "${matched}", but Kyverno reads images from containers, initContainers and ephemeralContainers only ` +
        '(pkg/utils/api/image.go BuildStandardExtractors) unless the rule declares imageExtractors for spec.volumes[].image.reference: ' +
        'the image volume is admitted without this verification',
      declaredAt,
    };

  const verdicts: Verdict[] = [];
  const type = imageType(verifyImage.type);
  if (!type)
    verdicts.push(outOfReach(`type ${JSON.stringify(verifyImage.type)} is not one Kyverno knows (Cosign, SigstoreBundle, Notary)`));
  else {
    const sets = attestorSets(verifyImage);
    for (const [setIndex, set] of sets.entries())
      verdicts.push(await attestorSetVerdict(context, verifyImage, type, set, `attestors[${setIndex}]`));
    for (const [attestationIndex, attestation] of objects(verifyImage.attestations).entries())
      verdicts.push(attestationVerdict(context.evidence, attestation, `attestations[${attestationIndex}]`));
  }
  const digest = digestVerdict(verifyImage, image);
  if (digest) verdicts.push(digest);
  if (verdicts.length === 0) verdicts.push(pass('the rule names no attestors or attestations, so it verifies nothing'));
  const preconditions = rule.preconditions !== undefined || rule.celPreconditions !== undefined ? ['preconditions are not evaluated'] : [];
  const verdict = allOf(verdicts);
  const notes = [...scopeNotes, ...preconditions];
  return toCheck(
    label,
    {
      ...verdict,
      reason: `${verdict.reason}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}${blocking ? '' : ' [Audit: reported, not blocked]'}`,
    },
    blocking,
    declaredAt,
  );
}

/** Enforce or Audit: the verifyImages entry's failureAction, else an override for the namespace, else the policy's (default Audit). */
function enforces(policy: PolicyDocument, verifyImage: Json, target: AdmissionTarget): boolean {
  const own = text(verifyImage.failureAction);
  if (own) return own.toLowerCase() === 'enforce';
  const override = objects(policy.spec.validationFailureActionOverrides).find(
    (o) => target.namespace !== undefined && strings(o.namespaces).some((ns) => kyvernoWildcardMatch(ns, target.namespace!)),
  );
  const action = text(override?.action) ?? text(policy.spec.validationFailureAction) ?? 'Audit';
  return action.toLowerCase() === 'enforce';
}

function imageType(value: unknown): ImageType | undefined {
  if (value === undefined || value === '') return 'Cosign';
  return value === 'Cosign' || value === 'SigstoreBundle' || value === 'Notary' ? value : undefined;
}

/** The attestor sets, with the deprecated top-level key/subject/issuer turned into one (ImageVerification.Convert). */
function attestorSets(verifyImage: Json): Json[] {
  const sets = objects(verifyImage.attestors);
  if (text(verifyImage.key)) sets.push({ entries: [{ keys: { publicKeys: verifyImage.key } }] });
  if (text(verifyImage.subject) || text(verifyImage.issuer))
    sets.push({ entries: [{ keyless: { subject: verifyImage.subject, issuer: verifyImage.issuer, roots: verifyImage.roots } }] });
  return sets;
}

async function attestorSetVerdict(context: RuleContext, verifyImage: Json, type: ImageType, set: Json, where: string): Promise<Verdict> {
  const entries: Array<{ entry: Json; where: string; keyIndex?: number }> = [];
  for (const [i, entry] of objects(set.entries).entries()) {
    // Several keys in one publicKeys are separate entries, and count applies across them (ExpandStaticKeys).
    const pem = isObject(entry.keys) ? text(entry.keys.publicKeys) : undefined;
    const keyCount = pem && !pem.includes('{{') && !pem.startsWith('k8s://') ? (pem.match(/-----BEGIN PUBLIC KEY-----/g)?.length ?? 0) : 0;
    if (keyCount > 1) for (let k = 0; k < keyCount; k++) entries.push({ entry, where: `${where}.entries[${i}]`, keyIndex: k });
    else entries.push({ entry, where: `${where}.entries[${i}]` });
  }
  if (entries.length === 0) return outOfReach(`${where} has no entries (Kyverno rejects such a policy)`);
  const verdicts: Verdict[] = [];
  for (const e of entries) verdicts.push(await entryVerdict(context, verifyImage, type, e.entry, e.where, e.keyIndex));
  const count = typeof set.count === 'number' && set.count > 0 ? set.count : entries.length;
  return atLeast(count, verdicts);
}

async function entryVerdict(
  context: RuleContext,
  verifyImage: Json,
  type: ImageType,
  entry: Json,
  where: string,
  keyIndex?: number,
): Promise<Verdict> {
  const repository = text(entry.repository) ?? text(verifyImage.repository);
  if (repository)
    return outOfReach(`${where}: signatures are read from ${repository}, not the candidate's repository, and are not fetched here`);
  if (isObject(entry.attestor)) return outOfReach(`${where}: nested attestor sets are not evaluated here`);
  if (isObject(entry.keys)) return keysVerdict(context, verifyImage, type, entry.keys, `${where}.keys`, keyIndex);
  if (isObject(entry.keyless)) return keylessVerdict(context, type, entry.keyless, `${where}.keyless`);
  if (isObject(entry.certificates)) return certificatesVerdict(context, type, entry.certificates, `${where}.certificates`);
  return outOfReach(`${where} has no keys, keyless or certificates attestor`);
}

async function keysVerdict(
  context: RuleContext,
  verifyImage: Json,
  type: ImageType,
  keys: Json,
  where: string,
  keyIndex?: number,
): Promise<Verdict> {
  if (type === 'Notary') return outOfReach(`${where}: keys are not allowed for type Notary (Kyverno rejects the policy)`);
  const pem = text(keys.publicKeys);
  if (!pem) {
    const source = isObject(keys.secret) ? 'a Secret in the cluster' : text(keys.kms) ? `the KMS key ${keys.kms as string}` : 'nothing';
    return outOfReach(`${where}: the key comes from ${source}, which is not read here`);
  }
  if (pem.startsWith('k8s://')) return outOfReach(`${where}: the key is the Secret ${pem}, which is not read here`);
  if (pem.includes('{{')) return outOfReach(`${where}: the key is a variable (${pem.trim()}), resolved only in the cluster`);
  if (verifyImage.cosignOCI11 === true)
    return outOfReach(`${where}: cosignOCI11 reads cosign's experimental OCI 1.1 signature layout, which is not read here`);
  let trust: VerificationTrust;
  try {
    const all = publicKeysIn(pem, where);
    if (all.length === 0) return fail(`${where}: publicKeys holds no PUBLIC KEY PEM block, so nothing can verify`);
    trust = { cosignKeys: keyIndex === undefined ? all : [all[keyIndex]] };
  } catch (error) {
    return fail(`${where}: ${errorMessage(error)}`);
  }
  const verdict = await verifyAgainst(context.evidence, trust, type === 'SigstoreBundle' ? ['sigstore-bundle'] : ['cosign'], where);
  // Kyverno asks Rekor for the key signature's log entry unless rekor.ignoreTlog is set.
  const rekor = isObject(keys.rekor) ? keys.rekor : undefined;
  if (verdict.outcome === 'pass' && rekor?.ignoreTlog !== true)
    return outOfReach(
      `${verdict.reason}, but without keys.rekor.ignoreTlog: true Kyverno also requires the signature's Rekor transparency-log entry, which is not checked here (oci-gitops signs with a key without one)`,
    );
  return verdict;
}

async function keylessVerdict(context: RuleContext, type: ImageType, keyless: Json, where: string): Promise<Verdict> {
  if (type === 'Notary') return outOfReach(`${where}: keyless is not allowed for type Notary (Kyverno rejects the policy)`);
  const custom = ['roots']
    .filter((f) => text(keyless[f]))
    .concat(
      ['rekor', 'ctlog'].filter(
        (f) => isObject(keyless[f]) && (text((keyless[f] as Json).pubkey) || text((keyless[f] as Json).tsaCertChain)),
      ),
    );
  if (custom.length > 0)
    return outOfReach(`${where}: the policy names its own Sigstore roots (${custom.join(', ')}), which are not read here`);
  if (isObject(keyless.additionalExtensions) && Object.keys(keyless.additionalExtensions).length > 0)
    return outOfReach(`${where}: additionalExtensions (certificate extensions) are not checked here`);
  // Kyverno matches subject and issuer with its wildcard, and the *RegExp fields as Go regexps (cpol/cosign/cosign.go matchCertificateData).
  const identity = {
    subject: eitherPattern([text(keyless.subject) && kyvernoWildcardPattern(keyless.subject as string), text(keyless.subjectRegExp)]),
    issuer: eitherPattern([text(keyless.issuer) && kyvernoWildcardPattern(keyless.issuer as string), text(keyless.issuerRegExp)]),
  };
  const root = context.options.sigstoreTrustedRoot;
  if (type === 'SigstoreBundle') return verifyKeyless(context.evidence, root, [identity], where);
  // type Cosign reads the .sig tag; with IgnoreTlog, cosign's verifyInternal checks the certificate
  // against the current time instead of the Rekor entry's, and a Fulcio certificate lives minutes.
  if (isObject(keyless.rekor) && keyless.rekor.ignoreTlog === true)
    return outOfReach(
      `${where}: with rekor.ignoreTlog Kyverno checks the .sig certificate against the time of admission rather than the Rekor entry's, which is not evaluated here`,
    );
  return verifyLegacyKeyless(context.evidence, root, [identity], where, 'Kyverno reads only with type: SigstoreBundle');
}

async function certificatesVerdict(context: RuleContext, type: ImageType, certificates: Json, where: string): Promise<Verdict> {
  if (type !== 'Notary') return outOfReach(`${where}: certificate-based cosign verification is not evaluated here`);
  const pem = [text(certificates.cert), text(certificates.certChain)].filter(Boolean).join('\n');
  if (pem.includes('{{')) return outOfReach(`${where}: the certificate is a variable, resolved only in the cluster`);
  const certs = certificatesIn(pem);
  if (certs.length === 0) return fail(`${where}: cert and certChain hold no CERTIFICATE PEM block`);
  // Kyverno's notary verifier trusts the given certificates for every scope and identity.
  const notation = {
    policy: {
      version: '1.0',
      trustPolicies: [
        {
          name: where,
          registryScopes: ['*'],
          signatureVerification: { level: 'strict' },
          trustStores: ['ca:kyverno'],
          trustedIdentities: ['*'],
        },
      ],
    },
    stores: new Map([['ca:kyverno', certs]]),
    secretCertificates: [],
    folder: `the policy's ${where}`,
  };
  return verifyAgainst(context.evidence, { notation }, ['notation'], where);
}

function attestationVerdict(evidence: CandidateEvidence, attestation: Json, where: string): Verdict {
  const type = text(attestation.type) ?? text(attestation.predicateType);
  if (!type) return outOfReach(`${where} names no type`);
  if (!evidence.attestationPredicateTypes.includes(type))
    return fail(
      `${where}: no attestation of type ${type} is attached${evidence.attestationPredicateTypes.length > 0 ? ` (found: ${evidence.attestationPredicateTypes.join(', ')})` : ''}`,
    );
  const conditions = attestation.conditions !== undefined ? ' and its conditions' : '';
  return outOfReach(`${where}: an attestation of type ${type} is attached; who signed it${conditions} are not checked here`);
}

/** verifyDigest (default true) needs a digest after mutation; mutateDigest (default true) adds it to a tag-only reference. */
function digestVerdict(verifyImage: Json, image: Reference): Verdict | undefined {
  if (image.digest || verifyImage.verifyDigest === false) return undefined;
  if (verifyImage.mutateDigest !== false) return pass(`mutateDigest pins ${formatReference(image)} to its digest`);
  return fail(`verifyDigest requires a digest, ${formatReference(image)} has only a tag and mutateDigest is false`);
}

/** Whether the rule's imageExtractors read image-volume references. */
function extractsImageVolumes(rule: Json): boolean {
  if (!isObject(rule.imageExtractors)) return false;
  return Object.values(rule.imageExtractors).some((list) =>
    objects(list).some((e) => {
      const path = text(e.path) ?? '';
      return /\/volumes\//.test(path) && (path.endsWith('/reference') || text(e.value) === 'reference');
    }),
  );
}

interface Scope {
  applies: boolean;
  notes: string[];
}

/** The rule's match and exclude blocks for the target: kinds and namespaces are evaluated, other selectors assumed to select it. */
function ruleScope(rule: Json, target: AdmissionTarget): Scope {
  const notes: string[] = [];
  const match = isObject(rule.match) ? rule.match : undefined;
  if (match) {
    const filters = resourceFilters(match);
    const results = filters.list.map((f) => filterMatches(f, target, notes));
    const matched = filters.mode === 'all' ? results.every(Boolean) : results.some(Boolean);
    if (filters.list.length > 0 && !matched) return { applies: false, notes };
  }
  const exclude = isObject(rule.exclude) ? rule.exclude : undefined;
  if (exclude) {
    const filters = resourceFilters(exclude);
    const excludeNotes: string[] = [];
    const results = filters.list.map((f) => filterMatches(f, target, excludeNotes));
    const excluded = filters.list.length > 0 && (filters.mode === 'all' ? results.every(Boolean) : results.some(Boolean));
    if (excluded && excludeNotes.length === 0) return { applies: false, notes };
    if (excluded) notes.push(`its exclude block may exempt this workload (${excludeNotes.join('; ')})`);
  }
  return { applies: true, notes: [...new Set(notes)] };
}

function resourceFilters(block: Json): { mode: 'any' | 'all'; list: Json[] } {
  if (Array.isArray(block.all)) return { mode: 'all', list: objects(block.all) };
  if (Array.isArray(block.any)) return { mode: 'any', list: objects(block.any) };
  return { mode: 'any', list: [block] };
}

function filterMatches(filter: Json, target: AdmissionTarget, notes: string[]): boolean {
  const resources = isObject(filter.resources) ? filter.resources : undefined;
  if (resources) {
    const kinds = strings(resources.kinds);
    if (kinds.length > 0 && !kinds.some((k) => kindMatches(k, target.kind))) return false;
    const namespaces = strings(resources.namespaces);
    if (namespaces.length > 0) {
      if (target.namespace === undefined)
        notes.push(`the workload's namespace is not written, so namespaces ${namespaces.join(', ')} are assumed to include it`);
      else if (!namespaces.some((ns) => kyvernoWildcardMatch(ns, target.namespace!))) return false;
    }
    for (const field of ['names', 'name', 'selector', 'namespaceSelector', 'annotations', 'operations'])
      if (resources[field] !== undefined) notes.push(`resources.${field} is not evaluated`);
  }
  for (const field of ['subjects', 'roles', 'clusterRoles']) if (filter[field] !== undefined) notes.push(`${field} is not evaluated`);
  return true;
}

/** Kyverno kinds are `Kind`, `version/Kind` or `group/version/Kind`, wildcards allowed; a Pod rule also meets the Pods of workloads. */
function kindMatches(pattern: string, kind: string): boolean {
  const name = pattern.split('/').pop() ?? pattern;
  if (kyvernoWildcardMatch(name, kind)) return true;
  return POD_CONTROLLERS.has(kind) && kyvernoWildcardMatch(name, 'Pod');
}
