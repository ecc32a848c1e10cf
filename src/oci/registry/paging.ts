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

/**
 * Follows every page. Stops when a registry keeps answering with the same page or with no new
 * items (Gitea's endless Link header) instead of looping forever.
 */
export async function* allPages(fetchPage: (cursor: string | undefined) => Promise<Page<string>>): AsyncGenerator<string> {
  const seenCursors = new Set<string>();
  const seenItems = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    let fresh = 0;
    for (const item of page.items) {
      if (seenItems.has(item)) continue;
      seenItems.add(item);
      fresh++;
      yield item;
    }
    if (!page.next || fresh === 0 || seenCursors.has(page.next)) return;
    seenCursors.add(page.next);
    cursor = page.next;
  }
}
