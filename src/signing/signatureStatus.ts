import type { Descriptor, RepositoryApi } from '../oci';
import type { SignatureResult } from './signatureResult';
import { verifyArtifact, type VerificationTrust } from './verifyArtifact';

/** The badge of an artifact: the best any of its signatures achieves. */
export type ArtifactBadge = 'verified' | 'invalid' | 'unverified' | 'unsigned';

export interface ArtifactSignatureStatus {
  badge: ArtifactBadge;
  /** One-line explanation for a tooltip. */
  summary: string;
  signatures: SignatureResult[];
  /** Per manifest (a `.sig` manifest or referrer): the badge for that child node in a tree. */
  byManifest: Map<string, ArtifactBadge>;
}

/**
 * For the Registries view: the verification status of one artifact against the configured trust.
 * verified when any signature verifies; invalid when signatures were checked and none verifies;
 * unverified when signatures exist but no key or trust is configured for them; unsigned otherwise.
 */
export async function signatureStatus(
  repo: RepositoryApi,
  subject: Descriptor,
  trust: VerificationTrust,
  signal?: AbortSignal,
): Promise<ArtifactSignatureStatus> {
  const { signatures } = await verifyArtifact(repo, subject, trust, signal);
  return summarise(signatures);
}

export function summarise(signatures: SignatureResult[]): ArtifactSignatureStatus {
  const byManifest = new Map<string, ArtifactBadge>();
  for (const s of signatures) byManifest.set(s.manifestDigest, best(byManifest.get(s.manifestDigest), s.status));
  const verified = signatures.filter((s) => s.status === 'verified');
  const invalid = signatures.filter((s) => s.status === 'invalid');
  if (signatures.length === 0) return { badge: 'unsigned', summary: 'No cosign or notation signature', signatures, byManifest };
  if (verified.length > 0) {
    const by = [...new Set(verified.map((s) => s.signer).filter(Boolean))].join(', ');
    return {
      badge: 'verified',
      summary: `Verified${by ? ` by ${by}` : ''} (${verified.length} of ${signatures.length} signatures)`,
      signatures,
      byManifest,
    };
  }
  if (invalid.length > 0) return { badge: 'invalid', summary: `Invalid: ${invalid[0].reason}`, signatures, byManifest };
  return {
    badge: 'unverified',
    summary: `${signatures.length} signature${signatures.length === 1 ? '' : 's'}, no key or trust configured to verify ${signatures.length === 1 ? 'it' : 'them'}`,
    signatures,
    byManifest,
  };
}

const RANK: Record<ArtifactBadge, number> = { unsigned: 0, unverified: 1, invalid: 2, verified: 3 };

function best(current: ArtifactBadge | undefined, next: SignatureResult['status']): ArtifactBadge {
  return current === undefined || RANK[next] > RANK[current] ? next : current;
}
