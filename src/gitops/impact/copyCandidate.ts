import type { Reference, RepositoryApi } from '../../oci';
import { discoverSignatures } from '../../signing/signatureDiscovery';
import { gatherEvidence, type PreparedArtifact } from './evidence';

/**
 * What a copy or promotion will make exist at `destination`, before anything moves: the source's
 * exact manifest, and (when referrers go along) the signatures and attestations it has at the
 * source, which the copy brings with it. Its impact is then judged where it will live.
 */
export async function copyCandidate(
  from: RepositoryApi,
  source: Reference,
  destination: Reference,
  referrers: boolean,
  signal?: AbortSignal,
): Promise<PreparedArtifact> {
  const evidence = await gatherEvidence(from, source, signal);
  const { bytes } = await from.fetchManifest(evidence.digest, { signal });
  return {
    reference: destination,
    manifestBytes: bytes,
    signatures: referrers ? await discoverSignatures(from, evidence.digest, signal) : [],
    attestationPredicateTypes: referrers ? evidence.attestationPredicateTypes : [],
  };
}
