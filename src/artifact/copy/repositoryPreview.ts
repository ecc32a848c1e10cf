import { formatRepository } from '../../oci';
import { formatSize } from '../../text/format';
import type { RepositoryCopyResult, TagOutcome } from './repositoryCopy';
import type { RepositoryCopyPlan } from './repositoryPlan';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The confirmation before a repository copy: how many tags go, how many are already there, the
 * drifted ones with both digests (left alone unless the user moves them), the tags that could not
 * be read, and the manifests, blobs and bytes at most transferred (shared ones counted once).
 */
export function repositoryCopyPreview(plan: RepositoryCopyPlan): { message: string; detail: string } {
  const { counts } = plan;
  const source = formatRepository(plan.from);
  const target = formatRepository(plan.to);
  const lines = [
    `From: ${source}`,
    `To:   ${target}`,
    '',
    `Tags: ${counts.missing} to copy, ${counts.there} already there${plan.referrers ? ' (their referrers are checked)' : ''}, ${counts.drifted} drifted`,
    `Referrers: ${plan.referrers ? 'signatures, SBOMs and attestations go along with each tag' : 'not copied'}`,
    `At most ${plural(plan.manifests, 'manifest')} and ${formatSize(plan.bytes)} in ${plural(plan.blobs, 'blob')}; what the tags share is sent once, and what ${plan.to.registry} already has is not sent`,
  ];
  const drifted = plan.tags.filter((t) => t.current !== undefined && t.current !== t.plan.root.descriptor.digest);
  if (drifted.length > 0) {
    lines.push('', 'Drifted (the destination tag points at another digest; left alone unless you move them):');
    for (const t of drifted) lines.push(`  ${t.tag}`, `    there:  ${t.current}`, `    source: ${t.plan.root.descriptor.digest}`);
  }
  if (plan.unreadable.length > 0) {
    lines.push('', 'Could not be read, not copied:');
    for (const t of plan.unreadable) lines.push(`  ${t.tag}: ${t.message}`);
  }
  if (plan.warnings.length > 0) lines.push('', ...plan.warnings.map((w) => `Warning: ${w}`));
  lines.push(
    '',
    'Each tag is set only once everything it names is there: a copy stopped half-way leaves every tag fully copied or untouched.',
  );
  const total = plan.tags.length;
  return { message: `Copy ${plural(total, 'tag')} of ${source} to ${target}?`, detail: lines.join('\n') };
}

/** "3 copied, 0 moved, 2 skipped (already there), 1 drifted, 0 failed". */
export function tagOutcomeCounts(counts: Record<TagOutcome, number>): string {
  return `${counts.copied} copied, ${counts.moved} moved, ${counts.skipped} skipped (already there), ${counts.drifted} drifted, ${counts.failed} failed`;
}

/** One line per tag, as the CLI prints them and the editor logs them. */
export function tagResultLines(result: RepositoryCopyResult): string[] {
  return result.tags.map((t) => {
    const detail = t.outcome === 'moved' ? ` (from ${t.destination})` : t.message ? `: ${t.message}` : '';
    return `${t.tag}: ${t.outcome}${detail}`;
  });
}
