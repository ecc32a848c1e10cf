import { repositoryScope } from '../auth/scope';
import type { ManifestTarget } from './manifests';
import { allPages, listedPages, nextCursor, validateCursor, type Page, type PageOptions } from './paging';
import { parseJson } from './registryApi';
import { readLimited } from '../transport/transport';
import { formatRepository } from '../reference/reference';

export async function tagPage(t: ManifestTarget, options: PageOptions = {}): Promise<Page<string>> {
  const path = `/v2/${t.repository}/tags/list`;
  const target = options.cursor ? validateCursor(options.cursor, path) : path;
  const response = await t.transport.request({
    registry: t.registry,
    method: 'GET',
    target,
    query: options.cursor ? undefined : { n: options.pageSize === undefined ? undefined : String(options.pageSize) },
    scopes: [repositoryScope(t.repository, 'pull')],
    signal: options.signal,
    site: { registry: t.registry, repository: t.repository, action: 'list tags' },
  });
  const body = parseJson<{ tags?: unknown }>(
    (await readLimited(response, 32 * 1024 * 1024, `tag list of ${formatRepository(t)}`)).toString('utf8'),
    t.registry,
    'tag list',
  );
  const items = Array.isArray(body.tags) ? body.tags.filter((tag): tag is string => typeof tag === 'string') : [];
  return { items, next: nextCursor(response, path, items, options.pageSize) };
}

export function allTags(t: ManifestTarget, options: { pageSize?: number; signal?: AbortSignal } = {}): AsyncGenerator<string> {
  return allPages(...tagListing(t, options));
}

/** Every tag, a page's new tags at a time (for a caller that handles them in bulk, as the CLI prints them). */
export function tagPages(t: ManifestTarget, options: { pageSize?: number; signal?: AbortSignal } = {}): AsyncGenerator<string[]> {
  return listedPages(...tagListing(t, options));
}

function tagListing(t: ManifestTarget, options: { pageSize?: number; signal?: AbortSignal }): Parameters<typeof listedPages> {
  return [
    (cursor, signal) => tagPage(t, { pageSize: options.pageSize ?? 1000, cursor, signal }),
    {
      what: `the tags of ${formatRepository(t)}`,
      registry: t.registry,
      signal: options.signal,
      deadlineMs: t.transport.listingDeadlineMs,
    },
  ];
}
