import { OciError } from '../errors';
import { nextLink } from '../transport/linkHeader';
import type { RegistryResponse } from '../transport/transport';

/** One page of a listing; pass `next` back as `cursor` to get the page after it. */
export interface Page<T> {
  items: T[];
  next?: string;
}

export interface PageOptions {
  pageSize?: number;
  /** An opaque continuation from a previous page's `next`. */
  cursor?: string;
  signal?: AbortSignal;
}

/**
 * Works out where the next page starts. `Link rel="next"` wins (it is what the spec asks
 * clients to follow); without it, a page that came back full may have more after its last item
 * (registries that honour `n` but send no Link).
 */
export function nextCursor(response: RegistryResponse, path: string, items: string[], pageSize: number | undefined): string | undefined {
  const link = nextLink(response.headers.link);
  if (link) {
    const target = new URL(link, response.url);
    if (target.origin !== response.url.origin) {
      throw new OciError('PROTOCOL', `The registry's next-page link points to another host (${target.host}); refusing to follow it`);
    }
    return `${target.pathname}${target.search}`;
  }
  // More items than asked for means the registry ignores `n` (Distribution's tag list): all came.
  if (pageSize !== undefined && items.length === pageSize && items.length > 0) {
    const params = new URLSearchParams({ n: String(pageSize), last: items[items.length - 1] });
    return `${path}?${params}`;
  }
  return undefined;
}

/** Checks a caller-supplied cursor is one of ours: a path on the same listing endpoint. */
export function validateCursor(cursor: string, path: string): string {
  if (!cursor.startsWith(`${path}?`) && cursor !== path) {
    throw new OciError('PROTOCOL', `Invalid page cursor "${cursor}" for ${path}`);
  }
  return cursor;
}

export interface ListingBounds {
  /** What is listed, for messages: "the tags of registry/repo". */
  what: string;
  registry: string;
  signal?: AbortSignal;
  /** Longest time for all pages together. */
  deadlineMs: number;
  /** Most pages followed before the listing is declared endless. */
  maxPages?: number;
}

export const DEFAULT_MAX_PAGES = 1000;

/**
 * Follows every page. Stops when a registry keeps answering with the same page or with no new
 * items (Gitea's endless Link header) instead of looping forever; a registry that keeps inventing
 * new pages is stopped by the page cap, and a slow one by the listing's deadline, each with a
 * message that says so (a listing cut short silently would look complete). Yields each page's
 * new items together: a caller printing 10,000 tags pays one await per page, not one per tag.
 */
export async function* listedPages(
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<string>>,
  bounds: ListingBounds,
): AsyncGenerator<string[]> {
  const maxPages = bounds.maxPages ?? DEFAULT_MAX_PAGES;
  const started = Date.now();
  const deadline = new AbortController();
  let pages = 0;
  let count = 0;
  const timer = setTimeout(
    () =>
      deadline.abort(
        new OciError(
          'TIMEOUT',
          `Listing ${bounds.what} did not finish within ${Math.round((Date.now() - started) / 1000)} s (${pages} pages, ${count} items so far); stopped`,
          {
            registry: bounds.registry,
            hint: 'The registry is answering too slowly, or its listing does not end; raise the timeout (--timeout, or ociGitops.requestTimeoutSeconds) if it is just large',
          },
        ),
      ),
    bounds.deadlineMs,
  );
  timer.unref?.();
  const signal = bounds.signal ? AbortSignal.any([bounds.signal, deadline.signal]) : deadline.signal;
  const seenCursors = new Set<string>();
  const seenItems = new Set<string>();
  let cursor: string | undefined;
  try {
    for (;;) {
      if (pages >= maxPages) {
        throw new OciError(
          'PROTOCOL',
          `${bounds.registry} kept sending more pages of ${bounds.what}: stopped after ${maxPages} pages (${count} items); the listing looks endless`,
          {
            registry: bounds.registry,
            hint: 'A registry that keeps returning new pages is misbehaving; report it to its operator',
          },
        );
      }
      let page: Page<string>;
      try {
        page = await fetchPage(cursor, signal);
      } catch (error) {
        if (deadline.signal.aborted && !bounds.signal?.aborted) throw deadline.signal.reason;
        throw error;
      }
      pages++;
      const fresh: string[] = [];
      for (const item of page.items) {
        if (seenItems.has(item)) continue;
        seenItems.add(item);
        fresh.push(item);
      }
      count += fresh.length;
      if (fresh.length > 0) yield fresh;
      if (!page.next || fresh.length === 0 || seenCursors.has(page.next)) return;
      seenCursors.add(page.next);
      cursor = page.next;
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Every item of every page, one at a time (see listedPages). */
export async function* allPages(
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<string>>,
  bounds: ListingBounds,
): AsyncGenerator<string> {
  for await (const items of listedPages(fetchPage, bounds)) yield* items;
}
