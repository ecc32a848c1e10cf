import type { Reference } from '../../../oci';
import type { AdmissionPolicies, CandidateEvidence, Check } from '../contract';
import { kyvernoChecks } from './kyverno';
import { clusterImagePolicyCheck, clusterImagePolicyMatches } from './policyController';
import { readPolicyDocuments, type PolicyDocument, type PolicyFile } from './policyDocuments';
import type { AdmissionTarget } from './target';
import type { AdmissionOptions } from './verdicts';

/** The workspace's admission policies, for any workload. */
export interface WorkspaceAdmissionPolicies extends AdmissionPolicies {
  /** The policy objects found, for "N policies read" summaries. */
  readonly policies: ReadonlyArray<Pick<PolicyDocument, 'kind' | 'name' | 'namespace' | 'declaredAt'>>;
  /** The checks for one workload: its kind and namespace decide which match blocks select it. */
  forTarget(target: AdmissionTarget): AdmissionPolicies;
}

/** A Pod with an image volume in an unknown namespace: what `checksFor` assumes without a target. */
const DEFAULT_TARGET: AdmissionTarget = { kind: 'Pod', field: 'image-volume' };

/**
 * Reads Kyverno ClusterPolicy/Policy and ImageValidatingPolicy and policy-controller
 * ClusterImagePolicy objects from the workspace files, and evaluates them for an image as the
 * admission controllers would when a Pod using it is created. Nothing here talks to a cluster:
 * whatever a policy leaves to the cluster (Secrets, KMS, CEL, Rego/CUE, custom roots) is reported
 * as out of reach, naming what and where.
 */
export function admissionPolicies(files: PolicyFile[], options: AdmissionOptions = {}): WorkspaceAdmissionPolicies {
  const documents = readPolicyDocuments(files);
  const checksFor = async (
    target: AdmissionTarget,
    image: Reference,
    evidence: CandidateEvidence,
    signal?: AbortSignal,
  ): Promise<Check[]> => {
    const checks: Check[] = [];
    const clusterImagePolicies = documents.filter((d) => d.kind === 'ClusterImagePolicy');
    let matchedClusterImagePolicy = false;
    for (const policy of documents) {
      signal?.throwIfAborted();
      switch (policy.kind) {
        case 'ClusterPolicy':
        case 'Policy':
          checks.push(...(await kyvernoChecks(policy, image, target, evidence, options)));
          break;
        case 'ClusterImagePolicy': {
          if (!clusterImagePolicyMatches(policy, image)) break;
          matchedClusterImagePolicy = true;
          const check = await clusterImagePolicyCheck(policy, target, evidence, options);
          if (check) checks.push(check);
          break;
        }
        default:
          checks.push({
            check: `Kyverno ${policy.kind} ${policy.name}`,
            outcome: 'out-of-reach',
            detail: 'its CEL image matching and validations are not evaluated here',
            declaredAt: policy.declaredAt,
          });
      }
    }
    if (clusterImagePolicies.length > 0 && !matchedClusterImagePolicy)
      checks.push({
        check: 'policy-controller no-match-policy',
        outcome: 'out-of-reach',
        detail: `no ClusterImagePolicy of the workspace (${clusterImagePolicies.map((p) => p.name).join(', ')}) matches the image: policy-controller then applies its no-match-policy (ConfigMap config-policy-controller; deny unless set to allow or warn), which is cluster configuration`,
      });
    return checks;
  };
  return {
    policies: documents.map(({ kind, name, namespace, declaredAt }) => ({ kind, name, namespace, declaredAt })),
    checksFor: (image, evidence, signal) => checksFor(DEFAULT_TARGET, image, evidence, signal),
    forTarget: (target) => ({ checksFor: (image, evidence, signal) => checksFor(target, image, evidence, signal) }),
  };
}
