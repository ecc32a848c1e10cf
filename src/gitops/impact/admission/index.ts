// Admission policies an image meets when a Pod using it is admitted: Kyverno verifyImages and
// Sigstore policy-controller ClusterImagePolicy, evaluated from the workspace's policy files.
export { admissionPolicies, type WorkspaceAdmissionPolicies } from './admissionPolicies';
export type { AdmissionTarget } from './target';
export type { AdmissionOptions } from './verdicts';
export type { PolicyFile } from './policyDocuments';
