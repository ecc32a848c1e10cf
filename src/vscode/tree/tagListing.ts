import { isAccessoryTag } from '../../artifact/kinds';
import { sortTagsNewestFirst } from '../../artifact/tagOrder';

/** More tags than this are not listed (a registry that never stops paging cannot exhaust memory). */
export const MAX_LISTED_TAGS = 100_000;

/**
 * A repository's tags as the Registries view shows them: newest first, a page at a time, behind
 * "Load more…" and "Filter…".
 *
 * Newest first cannot be had a registry page at a time: registries list tags in lexical order
 * (1.10.0 before 1.9.0, `latest` among the l's), and Distribution ignores `n` on tag lists and
 * answers with all of them at once anyway. So the whole listing is fetched first (every page,
 * followed by the client, at 1,000 tags a request), sorted once, and the view reveals it a page at
 * a time: the first page of 10,000 tags costs one request and one sort, "Load more…" costs nothing
 * more, the order is the same across pages, and "Filter…" searches every tag, not only those shown.
 */
export class TagListing {
  private sorted?: string[];
  private loading?: Promise<void>;
  private filtered?: string[];
  private filterText = '';
  private shownCount = 0;
  /** Bumped by reset(), so a fetch that was under way when it happened is dropped. */
  private generation = 0;
  error: unknown;
  /** The registry listed more than MAX_LISTED_TAGS; only that many are shown. */
  truncated = false;

  constructor(
    private readonly list: () => AsyncIterable<string>,
    private readonly pageSize: () => number,
  ) {}

  get loaded(): boolean {
    return this.sorted !== undefined;
  }

  /** Fetches and sorts the listing once (concurrent callers share the fetch). Errors are kept, not thrown. */
  load(): Promise<void> {
    if (this.sorted) return Promise.resolve();
    const generation = this.generation;
    this.loading ??= (async () => {
      try {
        const tags: string[] = [];
        for await (const tag of this.list()) {
          if (tags.length >= MAX_LISTED_TAGS) {
            this.truncated = true;
            break;
          }
          // cosign's and the referrers fallback's sha256-… tags are shown under what they refer to.
          if (!(tag.startsWith('sha') && isAccessoryTag(tag))) tags.push(tag);
        }
        if (generation !== this.generation) return;
        this.sorted = sortTagsNewestFirst(tags);
        this.shownCount = this.pageSize();
        this.filtered = undefined;
        this.error = undefined;
      } catch (error) {
        if (generation === this.generation) this.error = error;
      } finally {
        if (generation === this.generation) this.loading = undefined;
      }
    })();
    return this.loading;
  }

  /** Every tag, newest first (for "Compare With…"). */
  get all(): string[] {
    return this.sorted ?? [];
  }

  get filter(): string {
    return this.filterText;
  }

  /** Shows the tags containing `text` (all tags when empty), from the first page again. */
  set filter(text: string) {
    this.filterText = text;
    this.filtered = undefined;
    this.shownCount = this.pageSize();
  }

  /** The tags that pass the filter, newest first. */
  get matching(): string[] {
    this.filtered ??= this.filterText ? this.all.filter((tag) => tag.includes(this.filterText)) : this.all;
    return this.filtered;
  }

  /** The tags the view shows now. */
  get shown(): string[] {
    return this.matching.slice(0, this.shownCount);
  }

  get hasMore(): boolean {
    return this.matching.length > this.shownCount;
  }

  /** Shows the next page. */
  async more(): Promise<void> {
    this.shownCount += this.pageSize();
  }

  /** Makes sure a tag is shown (clearing a filter that hides it); false when the repository has no such tag. */
  reveal(tag: string): boolean {
    if (!this.all.includes(tag)) return false;
    if (!this.matching.includes(tag)) this.filter = '';
    this.shownCount = Math.max(this.shownCount, this.matching.indexOf(tag) + 1);
    return true;
  }

  reset(): void {
    this.generation++;
    this.loading = undefined;
    this.sorted = undefined;
    this.filtered = undefined;
    this.shownCount = 0;
    this.error = undefined;
    this.truncated = false;
  }
}
