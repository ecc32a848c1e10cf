import { isIndex, isOciError, MediaType, type Manifest, type Reference, type RepositoryApi } from '../../oci';
import { admissionPolicies, type WorkspaceAdmissionPolicies } from './admission';
import { argoLayerTypesOf } from './checks/argoSettings';
import type { CheckContext } from './checks/context';
import { fluxVerifyCheck } from './checks/fluxVerify';
import { argoLayerCheck, fluxHelmIndexCheck, fluxLayerCheck } from './checks/layers';
import { consumersOf, type FoundConsumer } from './consumers';
import type { Acceptance, AdmissionPolicies, CandidateEvidence, Check, ConsumerImpact, ImpactReport } from './contract';
import { gatherEvidence, isPreparedArtifact, preparedEvidence, type PreparedArtifact } from './evidence';
import { workspaceFluxVersion } from './fluxVersion';
import { pickOf } from './picks';
import { indexEvidence } from './platformManifest';
import { WorkspaceSecrets } from './secrets';
import { loadWorkspace } from './workspace';

export type { PreparedArtifact } from './evidence';

export interface ImpactOptions {
  /** A tag or digest that exists in its repository, or an artifact about to be pushed there. */
  candidate: Reference | PreparedArtifact;
  /** The workspace's GitOps files and folders, as `validateFiles` takes them. */
  files: string[];
  /** Texts that replace what is on disk (an editor's unsaved documents), by absolute path. */
  overrides?: ReadonlyMap<string, string>;
  /** How to reach a registry repository (the CLI's and the editor's client, with their credentials). */
  registry: { repository(host: string, repository: string): RepositoryApi };
  /**
   * Kyverno and Sigstore policy-controller policies that image-volume consumers meet at admission;
   * by default those written in the workspace's files.
   */
  admission?: AdmissionPolicies;
  /**
   * Where a prepared candidate's child manifests already are, when it is an index not pushed yet
   * (a copy's source); by default the candidate's own repository.
   */
  childManifestsFrom?: RepositoryApi;
  signal?: AbortSignal;
}

/**
 * Who will pick the candidate up, and whether each will accept it: every consumer of its
 * repository in the workspace (consumers.ts), whether its selector picks the candidate
 * (picks.ts), and what its controller (and the admission policies it meets) checks of the
 * artifact (checks/). The registry is read once for all consumers (evidence.ts).
 */
export async function impactOf(options: ImpactOptions): Promise<ImpactReport> {
  const { signal } = options;
  const candidate = withDefaultTag(options.candidate);
  const reference = isPreparedArtifact(candidate) ? candidate.reference : candidate;
  const workspace = await loadWorkspace({
    files: options.files,
    ...(options.overrides ? { overrides: options.overrides } : {}),
    ...(signal ? { signal } : {}),
  });
  const found = consumersOf(workspace, reference);
  const skipped = [...workspace.skipped, ...found.skipped];
  if (found.consumers.length === 0) return { candidate: reference, consumers: [], skipped };
  const repo = options.registry.repository(reference.registry, reference.repository);
  const gathered = isPreparedArtifact(candidate) ? preparedEvidence(candidate) : await gatherEvidence(repo, candidate, signal);
  const evidence = await withIndex(gathered, candidate, options.childManifestsFrom ?? repo, signal);
  const tags = found.consumers.some((c) => c.target.selector.type === 'semver') ? await tagsOf(repo, signal) : [];
  const fluxVersion = workspaceFluxVersion(workspace);
  const argoLayerTypes = argoLayerTypesOf(workspace);
  const context: CheckContext = {
    evidence,
    secrets: new WorkspaceSecrets(workspace),
    ...(fluxVersion ? { fluxVersion } : {}),
    ...(argoLayerTypes ? { argoLayerTypes } : {}),
    admission: options.admission ?? admissionPolicies([...workspace.texts].map(([file, text]) => ({ file, text }))),
    ...(signal ? { signal } : {}),
    trusts: new Map(),
  };
  const candidateRef: Reference = { ...reference, digest: evidence.digest };
  const consumers: ConsumerImpact[] = [];
  for (const consumer of found.consumers) {
    signal?.throwIfAborted();
    const checks = await checksOf(consumer, context);
    consumers.push({
      consumer: consumer.consumer,
      pick: pickOf(consumer.target, candidateRef, tags),
      acceptance: acceptanceOf(checks),
      checks,
    });
  }
  return { candidate: candidateRef, consumers, skipped };
}

async function checksOf(found: FoundConsumer, context: CheckContext): Promise<Check[]> {
  const checks: Check[] = [];
  if (found.target.controller === 'flux') {
    checks.push(...(await fluxVerifyCheck(found, context)));
    checks.push(...fluxLayerCheck(found, context));
    checks.push(...fluxHelmIndexCheck(found, context));
  }
  checks.push(...argoLayerCheck(found, context));
  if (found.target.controller === 'kubelet' && context.admission) {
    const image = { registry: found.consumer.registry, repository: found.consumer.repository, ...imageTarget(found) };
    checks.push(...(await admissionChecks(context.admission, image, found, context)));
  }
  return checks;
}

function imageTarget(found: FoundConsumer): Pick<Reference, 'tag' | 'digest'> {
  const s = found.target.selector;
  return s.type === 'digest' ? { digest: s.value } : { tag: s.value };
}

/** The workspace's policies know which match blocks select the consumer's kind and namespace; other policies are asked for any Pod. */
async function admissionChecks(
  admission: AdmissionPolicies,
  image: Reference,
  found: FoundConsumer,
  context: CheckContext,
): Promise<Check[]> {
  const forConsumer =
    'forTarget' in admission
      ? (admission as WorkspaceAdmissionPolicies).forTarget({
          kind: found.consumer.kind,
          ...(found.consumer.namespace ? { namespace: found.consumer.namespace } : {}),
          field: 'image-volume',
        })
      : admission;
  return forConsumer.checksFor(image, context.evidence, context.signal);
}

/** An index candidate's entries and the manifest a consumer resolving it to linux/amd64 reads (platformManifest.ts). */
async function withIndex(
  evidence: CandidateEvidence,
  candidate: Reference | PreparedArtifact,
  repo: RepositoryApi,
  signal?: AbortSignal,
): Promise<CandidateEvidence> {
  if (evidence.mediaType !== MediaType.OciIndex && evidence.mediaType !== MediaType.DockerManifestList) return evidence;
  const manifest: Manifest = isPreparedArtifact(candidate)
    ? (JSON.parse(candidate.manifestBytes.toString('utf8')) as Manifest)
    : (await repo.fetchManifest(evidence.digest, { signal })).manifest;
  return isIndex(manifest) ? { ...evidence, index: await indexEvidence(repo, manifest, signal) } : evidence;
}

/** A reference with neither tag nor digest names `latest`, as registries' clients read it. */
function withDefaultTag(candidate: Reference | PreparedArtifact): Reference | PreparedArtifact {
  const reference = isPreparedArtifact(candidate) ? candidate.reference : candidate;
  if (reference.tag || reference.digest) return candidate;
  const tagged = { ...reference, tag: 'latest' };
  return isPreparedArtifact(candidate) ? { ...candidate, reference: tagged } : tagged;
}

/** `refuses` when a check fails; `unknown` when one is out of reach and none fails. */
export function acceptanceOf(checks: Check[]): Acceptance {
  if (checks.some((c) => c.outcome === 'fail')) return 'refuses';
  if (checks.some((c) => c.outcome === 'out-of-reach')) return 'unknown';
  return 'accepts';
}

/** The repository's tags; none when it does not exist yet (the candidate will be its first). */
async function tagsOf(repo: RepositoryApi, signal?: AbortSignal): Promise<string[]> {
  const tags: string[] = [];
  try {
    for await (const tag of repo.tags({ signal })) tags.push(tag);
  } catch (error) {
    if (isOciError(error, 'NAME_UNKNOWN')) return [];
    throw error;
  }
  return tags;
}
