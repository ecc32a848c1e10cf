import type { RepositoryApi } from '../oci';
import { limiter } from './copy/limiter';
import { summarise, type ArtifactSummary } from './summary';

/**
 * How a list of tags gets its summaries (the kind each row shows): the reads start this long after
 * the list is shown, so the list draws first, and this many go at once, so a page of 100 tags takes
 * about seven round trips (one manifest each, and the config of a kind that reads one).
 */
export const LIST_SUMMARIES = { afterMs: 250, atOnce: 16 };

/**
 * Reads artifact summaries for a list view: queued reads a bounded number at a time, in the order
 * asked, and each reference read once while its read is under way however often it is asked for
 * (a row drawn again, a tag expanded before its queued read has begun or ended).
 */
export class SummaryQueue {
  private readonly reads = new Map<string, { start: () => Promise<ArtifactSummary> }>();
  private readonly run: ReturnType<typeof limiter>;

  constructor(concurrency: number = LIST_SUMMARIES.atOnce) {
    this.run = limiter(concurrency);
  }

  /** The summary of `reference`, read in its turn behind those queued before it. */
  queued(repo: RepositoryApi, reference: string): Promise<ArtifactSummary> {
    const read = this.read(repo, reference);
    return this.run(read.start);
  }

  /** The summary of `reference` now: shares a read under way, starts a queued one at once. */
  now(repo: RepositoryApi, reference: string): Promise<ArtifactSummary> {
    return this.read(repo, reference).start();
  }

  private read(repo: RepositoryApi, reference: string): { start: () => Promise<ArtifactSummary> } {
    const key = `${repo.registry}/${repo.repository}@${reference}`;
    let read = this.reads.get(key);
    if (!read) {
      let started: Promise<ArtifactSummary> | undefined;
      // Forgotten once done: the caller keeps the summary, and a refresh must read it again.
      const created = {
        start: () =>
          (started ??= summarise(repo, reference).finally(() => {
            if (this.reads.get(key) === created) this.reads.delete(key);
          })),
      };
      read = created;
      this.reads.set(key, read);
    }
    return read;
  }
}
