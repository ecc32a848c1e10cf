import { isOciError } from '../../oci';
import { errorMessage } from '../../text/format';
import { copyLedger, executeCopy, type CopyResult } from './execute';
import { limiter } from './limiter';
import { withoutReferrers } from './plan';
import type { PlannedTag, RepositoryCopyPlan } from './repositoryPlan';

/**
 * What happened to one tag, in flux-mirror's buckets (fluxcd/flux-mirror docs/sync.md, "Outcomes"):
 * copied (the destination lacked it), moved (it pointed elsewhere and --force moved it; flux-mirror's
 * "overwritten"), skipped (already there, nothing written), drifted (it points elsewhere and was left
 * alone), failed (not copied: the tag is untouched).
 */
export type TagOutcome = 'copied' | 'moved' | 'skipped' | 'drifted' | 'failed';

export interface TagResult {
  tag: string;
  outcome: TagOutcome;
  /** The source digest the tag names. */
  digest?: string;
  /** For drifted and moved: the digest the destination's tag pointed at. */
  destination?: string;
  /** Why it failed or drifted. */
  message?: string;
}

export interface RepositoryCopyResult {
  tags: TagResult[];
  counts: Record<TagOutcome, number>;
  /** Over every tag: a blob or manifest the tags share is counted once. */
  blobs: CopyResult['blobs'];
  manifests: CopyResult['manifests'];
  referrers: CopyResult['referrers'];
  /** True when a cancellation stopped the copy: the tags it had not finished are failed, and untouched. */
  cancelled: boolean;
}

export interface RepositoryCopyOptions {
  /**
   * Move destination tags that point elsewhere (and replace a different cosign .sbom); without it
   * they are drifted, left alone. A function moves only the tags it allows, by the digest each
   * points at now (an agent's consent names both).
   */
  force?: boolean | ((tag: string, current: string) => boolean);
  /** Tags copied at once, and the bound on blob transfers and on manifest requests over all of them; default 8. */
  concurrency?: number;
  signal?: AbortSignal;
  /** After each tag: how many are done, of how many. */
  onProgress?: (progress: { tagsDone: number; tagsTotal: number; bytesCopied: number }) => void;
}

/** How old, when its tag's copy starts, a plan's reading of a destination tag may be to be taken as where it still points. */
const PLANNED_TAG_FRESH_MS = 30_000;

/**
 * Copies every tag of a repository plan. Each tag is one executeCopy (its blobs, manifests and
 * referrers first, its tag last, only when all of it is there), so a failure or a cancellation
 * leaves every tag either fully copied or untouched; the copies share one ledger, so what tags
 * have in common is sent, mounted or checked once. Tags naming one digest go one after another
 * (the second finds everything there, and only sets its tag: the first copied what refers to
 * the artifact); other tags go several at once. A tag already at its digest is skipped without a
 * request when no referrers are asked for, or an earlier tag of its digest brought them: the
 * registry accepted that manifest only once everything it names was there.
 */
export async function executeRepositoryCopy(plan: RepositoryCopyPlan, options: RepositoryCopyOptions = {}): Promise<RepositoryCopyResult> {
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const ledger = copyLedger(concurrency);
  const perDigest = limiter(concurrency);
  const results = new Map<string, TagResult>();
  const totals = {
    blobs: { copied: 0, mounted: 0, skipped: 0, bytesCopied: 0 },
    manifests: { copied: 0, skipped: 0 },
    referrers: { copied: 0, skipped: 0 },
  };
  const total = plan.tags.length + plan.unreadable.length;
  const settle = (result: TagResult) => {
    results.set(result.tag, result);
    options.onProgress?.({ tagsDone: results.size, tagsTotal: total, bytesCopied: totals.blobs.bytesCopied });
  };
  for (const { tag, message } of plan.unreadable) settle({ tag, outcome: 'failed', message });

  /** `graphThere`: an earlier tag of the same digest copied (or found) the artifact and all that refers to it. */
  const copyTag = async (planned: PlannedTag, graphThere: boolean): Promise<void> => {
    const digest = planned.plan.root.descriptor.digest;
    const { tag, current } = planned;
    const force = current !== undefined && (typeof options.force === 'function' ? options.force(tag, current) : !!options.force);
    if (current !== undefined && current !== digest && !force)
      return settle({ tag, outcome: 'drifted', digest, destination: current, message: `points at ${current} at the destination` });
    if (current === digest && (!plan.referrers || graphThere)) return settle({ tag, outcome: 'skipped', digest });
    if (options.signal?.aborted) return settle({ tag, outcome: 'failed', digest, message: 'cancelled before it was copied' });
    let result: CopyResult;
    try {
      // Where the plan read the tag pointing, when it read it less than 30 s before this tag's copy
      // starts: the copy does not ask again. An older reading (a plan confirmed after a while, or a
      // tag late in a long mirror) is read again, so a tag set at the destination meanwhile is
      // drift, not moved.
      const currentTags = Date.now() - planned.readAt <= PLANNED_TAG_FRESH_MS ? new Map([[tag, current]]) : undefined;
      const copied = graphThere ? withoutReferrers(planned.plan) : planned.plan;
      result = await executeCopy(copied, plan.to, { tags: [tag], force, ledger, signal: options.signal, currentTags });
    } catch (error) {
      if (isOciError(error, 'TAG_EXISTS')) return settle({ tag, outcome: 'drifted', digest, message: errorMessage(error) });
      return settle({ tag, outcome: 'failed', digest, message: errorMessage(error) });
    }
    addCounts(totals, result);
    if (result.failures.length > 0)
      return settle({ tag, outcome: 'failed', digest, message: result.failures.map((f) => `${f.what}: ${f.message}`).join('; ') });
    const set = result.tags[0];
    if (set?.action === 'moved') return settle({ tag, outcome: 'moved', digest, destination: set.from });
    settle({ tag, outcome: result.nothingCopied ? 'skipped' : 'copied', digest });
  };

  const byDigest = new Map<string, PlannedTag[]>();
  for (const planned of plan.tags) {
    const digest = planned.plan.root.descriptor.digest;
    byDigest.set(digest, [...(byDigest.get(digest) ?? []), planned]);
    // The plan asked whether the destination has the artifact: the copies do not ask again.
    if (planned.present !== undefined && !ledger.present.has(digest)) ledger.present.set(digest, Promise.resolve(planned.present));
  }
  await Promise.all(
    [...byDigest.values()].map((group) =>
      perDigest(async () => {
        let graphThere = false;
        for (const planned of group) {
          await copyTag(planned, graphThere);
          graphThere ||= ['copied', 'moved', 'skipped'].includes(results.get(planned.tag)!.outcome);
        }
      }),
    ),
  );

  const order = [...plan.tags.map((t) => t.tag), ...plan.unreadable.map((t) => t.tag)];
  const tags = order.map((tag) => results.get(tag)!);
  const counts: Record<TagOutcome, number> = { copied: 0, moved: 0, skipped: 0, drifted: 0, failed: 0 };
  for (const t of tags) counts[t.outcome]++;
  return { tags, counts, ...totals, cancelled: !!options.signal?.aborted };
}

function addCounts(totals: Pick<RepositoryCopyResult, 'blobs' | 'manifests' | 'referrers'>, result: CopyResult): void {
  for (const key of ['copied', 'mounted', 'skipped', 'bytesCopied'] as const) totals.blobs[key] += result.blobs[key];
  for (const key of ['copied', 'skipped'] as const) {
    totals.manifests[key] += result.manifests[key];
    totals.referrers[key] += result.referrers[key];
  }
}

/** 0 when every tag was copied or already there, 1 when any failed, else 2 when any drifted: flux-mirror's exit codes (docs/sync.md). */
export function repositoryCopyExitCode(result: RepositoryCopyResult): number {
  if (result.counts.failed > 0) return 1;
  return result.counts.drifted > 0 ? 2 : 0;
}
