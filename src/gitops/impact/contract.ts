import type { Descriptor, Reference } from '../../oci';
import type { ArtifactVerification, VerificationTrust } from '../../signing/verifyArtifact';

// The answer to "what happens when I publish this?": for a candidate (a tag or digest about to
// exist in a repository), every workspace object that would pull from that repository, whether it
// picks the candidate, and whether it would then accept it. The CLI's `impact`, the push, Copy To…
// and Promote… confirmations, Show Consumers and the artifact panel all show this one report.

/** Where an object is declared in the workspace (1-based line, as the Problems panel counts). */
export interface DeclaredAt {
  file: string;
  line: number;
}

/** How a consumer chooses what to pull from its repository. */
export type Selector =
  | { type: 'tag'; tag: string }
  | { type: 'semver'; range: string; filter?: string }
  | { type: 'digest'; digest: string }
  /** No ref at all: Flux pulls `latest`; an image without a tag does too. */
  | { type: 'latest' };

/** A workspace object that pulls from a registry repository. */
export interface Consumer {
  /** The object kind as written: OCIRepository, HelmRelease, Application, ApplicationSet, FluxInstance, Pod, Deployment, … */
  kind: string;
  name: string;
  namespace?: string;
  declaredAt: DeclaredAt;
  registry: string;
  repository: string;
  selector: Selector;
}

/** Whether the consumer would pull the candidate once it exists. */
export type Pick =
  | { outcome: 'picks'; before?: string; after: string }
  | { outcome: 'not-picked'; current?: string; reason: string }
  | { outcome: 'pinned'; pinned: string };

/** One rule the consumer (or an admission policy it meets) applies to what it pulls. */
export interface Check {
  /** What applies it, for people: "Flux spec.verify (cosign key)", "Kyverno ClusterPolicy verify-images / rule check-sig". */
  check: string;
  /** `warn`: the rule would complain but not block (policy-controller mode: warn, Kyverno Audit). `out-of-reach`: we cannot evaluate it here (CEL, Rego/CUE), said plainly. */
  outcome: 'pass' | 'fail' | 'warn' | 'out-of-reach';
  detail: string;
  /** Where the rule is written, when it is in the workspace (a policy, a Secret, a trust policy). */
  declaredAt?: DeclaredAt;
}

/** `refuses` when any check fails; `unknown` when a check is out of reach and none fails. */
export type Acceptance = 'accepts' | 'refuses' | 'unknown';

export interface ConsumerImpact {
  consumer: Consumer;
  pick: Pick;
  acceptance: Acceptance;
  checks: Check[];
}

/** What the registry says about the candidate, gathered once and shared by every consumer's checks. */
export interface CandidateEvidence {
  reference: Reference;
  digest: string;
  mediaType: string;
  artifactType?: string;
  configMediaType?: string;
  layers: Descriptor[];
  /** Verifies the candidate's signatures against one consumer's (or policy's) trust; results are cached per trust. */
  verify(trust: VerificationTrust): Promise<ArtifactVerification>;
  /** In-toto predicate types of the attestations attached to the candidate (cosign `.att` and bundle referrers). */
  attestationPredicateTypes: string[];
  /** When the candidate is an image index (a multi-platform artifact): `layers` is then empty. */
  index?: IndexEvidence;
}

/** An index candidate's entries, and the manifest a consumer that reads it as an image resolves it to. */
export interface IndexEvidence {
  manifests: Descriptor[];
  /** The linux/amd64 entry's image manifest (platformManifest.ts); absent when the index has none. */
  platformManifest?: { digest: string; platform: string; layers: Descriptor[]; configMediaType?: string };
}

export interface ImpactReport {
  candidate: Reference;
  /** Every consumer of the candidate's repository found in the workspace, in file order. */
  consumers: ConsumerImpact[];
  /** Workspace files that could not be read or were skipped, with why. */
  skipped: Array<{ file: string; reason: string }>;
}

/** A consumer that would pick the candidate and then refuse it: the case a confirmation must make the user acknowledge. */
export function wouldRefuse(impact: ConsumerImpact): boolean {
  return impact.pick.outcome === 'picks' && impact.acceptance === 'refuses';
}

/**
 * Admission policies (Kyverno verifyImages, Sigstore policy-controller ClusterImagePolicy) an
 * image-volume or workload consumer meets when its Pod is admitted: the checks for one image.
 */
export interface AdmissionPolicies {
  checksFor(image: Reference, evidence: CandidateEvidence, signal?: AbortSignal): Promise<Check[]>;
}
