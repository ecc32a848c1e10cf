import type { Page } from '../../oci';

/** A registry's catalog loaded a page at a time, remembering where it stopped (tags: see TagListing). */
export class PagedList<T> {
  items: T[] = [];
  next: string | undefined;
  loaded = false;
  error: unknown;

  constructor(private readonly fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>) {}

  get hasMore(): boolean {
    return this.loaded && this.next !== undefined;
  }

  /** Loads the first page once, or the next page when `more` is set. Errors are kept, not thrown. */
  async load(more = false, signal: AbortSignal = new AbortController().signal): Promise<void> {
    if (this.loaded && !more) return;
    try {
      const page = await this.fetchPage(more ? this.next : undefined, signal);
      this.items = more ? [...this.items, ...page.items] : page.items;
      this.next = page.next;
      this.loaded = true;
      this.error = undefined;
    } catch (error) {
      this.error = error;
      if (!more) this.loaded = false;
    }
  }

  /** Loads the next page. */
  more(): Promise<void> {
    return this.load(true);
  }

  reset(): void {
    this.items = [];
    this.next = undefined;
    this.loaded = false;
    this.error = undefined;
  }
}
