import { formatSize } from '../../text/format';
import type { AttachedCategory } from '../attached';
import type { TagMove } from '../tagMoves';
import type { CopyPlan } from './plan';
import { formatRepository } from '../../oci';

/** A destination tag asked for, and the digest it points at now (undefined: it does not exist). */
export interface DestinationTag {
  tag: string;
  current?: string;
}

export interface CopyPreview {
  /** One line: what goes where. */
  message: string;
  /** What will be copied, and what happens to each tag, with full digests. */
  detail: string;
  /** True when a tag (or a cosign .sbom tag) would be moved: the confirmation must say so and ask for it. */
  movesTags: boolean;
  /** How many referrers (signatures, SBOMs, attestations, others) go along, at every depth. */
  referrers: number;
}

const CATEGORY_WORDS: Record<AttachedCategory, [string, string]> = {
  signature: ['signature', 'signatures'],
  sbom: ['SBOM', 'SBOMs'],
  attestation: ['attestation', 'attestations'],
  other: ['other referrer', 'other referrers'],
};

/** "2 signatures, 1 SBOM", or "none". */
export function referrersByKind(counts: Record<AttachedCategory, number>): string {
  const parts = (Object.keys(CATEGORY_WORDS) as AttachedCategory[])
    .filter((category) => counts[category] > 0)
    .map((category) => `${counts[category]} ${CATEGORY_WORDS[category][counts[category] === 1 ? 0 : 1]}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/**
 * The text of the confirmation before a copy or promotion: the source and destination in full,
 * the digest (which the copy keeps), manifests, referrers by kind, the bytes at most transferred
 * (blobs the destination has are skipped), and each tag: created, already there, or moved from
 * one digest to another. `moves` are destinationMoves(): the tags asked for and cosign `.sbom`
 * tags that would be replaced.
 */
export function copyPreview(
  plan: CopyPlan,
  destination: { registry: string; repository: string },
  tags: DestinationTag[],
  moves: TagMove[],
  verb = 'Copy',
): CopyPreview {
  const s = plan.summary;
  const digest = plan.root.descriptor.digest;
  const source = formatRepository(plan.from);
  const target = formatRepository(destination);
  const shownTag = tags[0]?.tag;
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const referrerCount = Object.values(s.referrers).reduce((a, b) => a + b, 0);
  const lines = [
    `From: ${source}:${plan.reference}`,
    `To:   ${target}${shownTag ? `:${shownTag}` : ''}`,
    `Digest: ${digest} (the copy keeps it)`,
    '',
    `Manifests: ${plural(s.manifests, 'manifest')} of the artifact${s.totalManifests > s.manifests ? `, ${s.totalManifests} with what is attached` : ''}`,
    `Referrers: ${referrersByKind(s.referrers)}`,
    `Bytes: ${formatSize(s.totalBytes)} in ${plural(s.totalBlobs, 'blob')} at most${referrerCount > 0 ? ` (${formatSize(s.referrerBytes)} of it attached)` : ''}; blobs ${destination.registry} already has are not sent again`,
  ];
  const tagLines: string[] = [];
  for (const { tag, current } of tags) {
    const move = moves.find((m) => m.tag === tag);
    if (move) tagLines.push(`Tag ${tag} MOVES:`, `  now:   ${move.from}`, `  after: ${move.to}`);
    else if (current === digest) tagLines.push(`Tag ${tag}: already points at this digest, unchanged`);
    else tagLines.push(`Tag ${tag}: created, pointing at ${digest}`);
  }
  for (const move of moves) {
    if (tags.some((t) => t.tag === move.tag)) continue;
    tagLines.push(`cosign tag ${move.tag} is REPLACED:`, `  now:   ${move.from}`, `  after: ${move.to}`);
  }
  if (tagLines.length > 0) lines.push('', ...tagLines);
  if (moves.length > 0) lines.push('', 'Tags are treated as immutable: whatever follows a moved tag will change.');
  if (plan.warnings.length > 0) lines.push('', ...plan.warnings.map((w) => `Warning: ${w}`));
  const message =
    moves.length > 0
      ? `${verb} ${source}:${plan.reference} to ${target} and move ${moves.length === 1 ? `tag ${moves[0].tag}` : `${moves.length} tags`}?`
      : `${verb} ${source}:${plan.reference} to ${target}${shownTag ? `:${shownTag}` : ''}?`;
  return { message, detail: lines.join('\n'), movesTags: moves.length > 0, referrers: referrerCount };
}

/** "Copied host/repo@sha256:0123456789ab… (2 blobs copied, 1 mounted, 0 skipped; 3 referrers)". */
export function copyResultText(result: {
  pinned: string;
  blobs: { copied: number; mounted: number; skipped: number };
  referrers: { copied: number; skipped: number };
  nothingCopied: boolean;
}): string {
  const b = result.blobs;
  const at = result.pinned.lastIndexOf('@');
  const shown = `${result.pinned.slice(0, at + 1)}${result.pinned.slice(at + 1, at + 20)}…`;
  const referrers = result.referrers.copied + result.referrers.skipped;
  const counts = `${b.copied} blob${b.copied === 1 ? '' : 's'} copied, ${b.mounted} mounted, ${b.skipped} skipped; ${referrers} referrer${referrers === 1 ? '' : 's'}`;
  return result.nothingCopied ? `Nothing to copy: ${shown} was already there (${counts})` : `Copied ${shown} (${counts})`;
}
