import type { VerificationTrust } from '../../../signing/verifyArtifact';
import type { AdmissionPolicies, CandidateEvidence } from '../contract';
import type { FluxVersion } from '../fluxVersion';
import type { WorkspaceSecrets } from '../secrets';

/** What every consumer's checks share: the evidence (read once) and what the workspace says about the cluster. */
export interface CheckContext {
  evidence: CandidateEvidence;
  secrets: WorkspaceSecrets;
  fluxVersion?: FluxVersion;
  /** Argo CD's repo-server layer allowlist, when the workspace's argocd-cmd-params-cm sets one. */
  argoLayerTypes?: { types: string[]; declaredAt: { file: string; line: number } };
  admission?: AdmissionPolicies;
  signal?: AbortSignal;
  /**
   * Trust built from a workspace Secret, kept by what built it so that consumers naming the same
   * Secret share one object, and the evidence's per-trust cache verifies once for all of them.
   */
  trusts: Map<string, VerificationTrust>;
}
