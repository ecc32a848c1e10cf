import { firstHeader } from '../transport/headers';
import { repositoryScope } from '../auth/scope';
import { referrersTagFor } from '../content/digest';
import type { Descriptor, ImageIndex, Manifest } from '../content/descriptor';
import { isIndex } from '../content/descriptor';
import { MediaType } from '../content/mediaTypes';
import { isOciError, OciError } from '../errors';
import { validateDigest, formatRepository } from '../reference/reference';
import { readLimited } from '../transport/transport';
import { fetchManifest, pushManifest, type ManifestTarget } from './manifests';
import { parseJson } from './registryApi';
import { nextLink } from '../transport/linkHeader';
import { referrerEntries } from './referrerEntries';

/** Whether a registry serves the referrers API; learnt on first use, as oras-go does. */
export type ReferrersSupport = 'unknown' | 'api' | 'tag-schema';

export interface ReferrersState {
  get(registry: string): ReferrersSupport;
  set(registry: string, support: ReferrersSupport): void;
}

export interface ReferrersOptions {
  artifactType?: string;
  signal?: AbortSignal;
  /** Refuse (TOO_LARGE) a listing of more than this many referrers, as soon as a page passes it. */
  limit?: number;
  /**
   * The repository's tags, when the caller has just listed them: a fallback tag not among them is
   * not asked for (a copy of a repository's tags reads hundreds of subjects it knows have none).
   */
  knownTags?: ReadonlySet<string>;
}

const MAX_PAGES = 100;

/** How a subject's referrers were found: the registry's referrers API, or the `sha256-<hex>` fallback tag. */
export type ReferrersSource = 'referrers-api' | 'fallback-tag';

export interface ReferrersListing {
  referrers: Descriptor[];
  foundBy: ReferrersSource;
}

/**
 * Lists what refers to `subject`: the referrers API where the registry has it, else the
 * `sha256-<hex>` fallback tag. Filters by artifactType itself when the registry did not.
 */
export async function listReferrers(
  t: ManifestTarget,
  state: ReferrersState,
  subject: string,
  options: ReferrersOptions = {},
): Promise<ReferrersListing> {
  validateDigest(subject);
  const support = state.get(t.registry);
  // Until the registry has said whether it serves the API, the fallback tag is asked for at the
  // same time: on a registry without the API that saves a round trip, on one with it the tag's
  // answer (most often a 404) is dropped.
  let fallback: Promise<Descriptor[]> | undefined;
  if (support !== 'api') {
    fallback = fromFallbackTag(t, subject, options);
    fallback.catch(() => undefined);
  }
  let found: Descriptor[] | undefined;
  if (support !== 'tag-schema') {
    found = await fromApi(t, subject, options);
    state.set(t.registry, found === undefined ? 'tag-schema' : 'api');
  }
  const foundBy: ReferrersSource = found === undefined ? 'fallback-tag' : 'referrers-api';
  if (found === undefined) found = await (fallback ?? fromFallbackTag(t, subject, options));
  checkLimit(t, subject, found.length, options.limit);
  return { referrers: options.artifactType ? found.filter((d) => d.artifactType === options.artifactType) : found, foundBy };
}

async function fromApi(t: ManifestTarget, subject: string, options: ReferrersOptions): Promise<Descriptor[] | undefined> {
  const out: Descriptor[] = [];
  const started = Date.now();
  let target = `/v2/${t.repository}/referrers/${subject}`;
  let query: Record<string, string> | undefined = options.artifactType ? { artifactType: options.artifactType } : undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await t.transport.request({
      registry: t.registry,
      method: 'GET',
      target,
      query,
      headers: { accept: MediaType.OciIndex },
      scopes: [repositoryScope(t.repository, 'pull')],
      signal: options.signal,
      accept: [404, 400, 405],
      site: { registry: t.registry, repository: t.repository, action: `list referrers of ${subject}` },
    });
    const contentType = firstHeader(response.headers['content-type'])?.split(';')[0].trim();
    if (response.status !== 200 || contentType !== MediaType.OciIndex) {
      await response.body.dump();
      if (page === 0) return undefined;
      throw new OciError('PROTOCOL', `${t.registry} stopped answering referrers pages for ${subject}`, {
        registry: t.registry,
        repository: t.repository,
      });
    }
    const index = parseJson<unknown>(
      (await readLimited(response, 4 * 1024 * 1024, `referrers list of ${subject}`)).toString('utf8'),
      t.registry,
      'referrers',
    );
    const site = { registry: t.registry, repository: t.repository, subject, source: 'the referrers API' };
    // One at a time: spreading a page of tens of thousands of entries into push() can overflow the stack.
    for (const entry of referrerEntries(isObject(index) ? index.manifests : null, site)) out.push(entry);
    checkLimit(t, subject, out.length, options.limit);
    const next = nextLink(response.headers.link);
    if (!next) return out;
    const url = new URL(next, response.url);
    if (url.origin !== response.url.origin)
      throw new OciError('PROTOCOL', `${t.registry}'s next page of referrers points to another host (${url.host}); refusing to follow it`, {
        registry: t.registry,
      });
    if (Date.now() - started > t.transport.listingDeadlineMs) {
      throw new OciError(
        'TIMEOUT',
        `Listing the referrers of ${subject} on ${formatRepository(t)} did not finish within ${Math.round(t.transport.listingDeadlineMs / 1000)} s (${page + 1} pages); stopped`,
        { registry: t.registry, repository: t.repository },
      );
    }
    target = `${url.pathname}${url.search}`;
    query = undefined;
  }
  throw new OciError(
    'PROTOCOL',
    `${t.registry} kept sending more pages of the referrers of ${subject}: stopped after ${MAX_PAGES} pages (${out.length} referrers); the listing looks endless`,
    {
      registry: t.registry,
      repository: t.repository,
      hint: 'A registry that keeps returning new pages is misbehaving; report it to its operator',
    },
  );
}

async function fromFallbackTag(t: ManifestTarget, subject: string, options: ReferrersOptions): Promise<Descriptor[]> {
  if (options.knownTags && !options.knownTags.has(referrersTagFor(subject))) return [];
  const index = await readFallbackIndex(t, subject, options.signal);
  const source = `the referrers tag ${referrersTagFor(subject)}`;
  return referrerEntries(index?.manifests, { registry: t.registry, repository: t.repository, subject, source });
}

function checkLimit(t: ManifestTarget, subject: string, count: number, limit: number | undefined): void {
  if (limit === undefined || count <= limit) return;
  throw new OciError('TOO_LARGE', `${formatRepository(t)} lists more than ${limit} referrers of ${subject}; stopped reading them`, {
    registry: t.registry,
    repository: t.repository,
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readFallbackIndex(t: ManifestTarget, subject: string, signal?: AbortSignal): Promise<ImageIndex | undefined> {
  try {
    const { manifest } = await fetchManifest(t, referrersTagFor(subject), { signal });
    if (!isIndex(manifest)) {
      throw new OciError(
        'MANIFEST_INVALID',
        `The referrers tag ${referrersTagFor(subject)} in ${formatRepository(t)} holds a manifest, not an index`,
        {
          registry: t.registry,
          repository: t.repository,
        },
      );
    }
    return manifest;
  } catch (error) {
    if (isOciError(error, 'MANIFEST_UNKNOWN') || isOciError(error, 'NAME_UNKNOWN')) return undefined;
    throw error;
  }
}

/** What a referrers listing shows for a manifest: its artifact type, falling back to its config type. */
export function referrerDescriptor(manifest: Manifest, descriptor: Descriptor): Descriptor {
  const out: Descriptor = { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size };
  const artifactType = manifest.artifactType ?? (isIndex(manifest) ? undefined : manifest.config?.mediaType);
  if (artifactType) out.artifactType = artifactType;
  if (manifest.annotations) out.annotations = manifest.annotations;
  return out;
}

/**
 * Adds referrers of one subject to its fallback index (read, merge, write: one round for all of
 * them), keeping entries other tools wrote. Registries offer no compare-and-swap, so a concurrent
 * writer is detected by reading the tag back, and the merge is redone.
 */
export function addToFallbackIndex(t: ManifestTarget, subject: string, referrers: Descriptor[], signal?: AbortSignal): Promise<void> {
  return updateFallbackIndex(
    t,
    subject,
    (current) => {
      const listed = new Set(current.map((d) => d.digest));
      const added = referrers.filter((d) => !listed.has(d.digest) && listed.add(d.digest));
      return added.length === 0 ? undefined : [...current, ...added];
    },
    signal,
  );
}

/** Takes a deleted referrer out of its subject's fallback index, keeping the other entries. */
export function removeFromFallbackIndex(t: ManifestTarget, subject: string, referrer: string, signal?: AbortSignal): Promise<void> {
  return updateFallbackIndex(
    t,
    subject,
    (current) => (current.some((d) => d.digest === referrer) ? current.filter((d) => d.digest !== referrer) : undefined),
    signal,
  );
}

/** `change` returns the new entries, or undefined when the index already says what it should. */
async function updateFallbackIndex(
  t: ManifestTarget,
  subject: string,
  change: (current: Descriptor[]) => Descriptor[] | undefined,
  signal?: AbortSignal,
): Promise<void> {
  const tag = referrersTagFor(subject);
  for (let attempt = 1; attempt <= 5; attempt++) {
    const existing = await readFallbackIndex(t, subject, signal);
    const wanted = change(existing?.manifests ?? []);
    if (wanted === undefined) return;
    const index: ImageIndex = { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: wanted };
    await pushManifest(t, Buffer.from(JSON.stringify(index)), MediaType.OciIndex, tag, { signal });
    const after = await readFallbackIndex(t, subject, signal);
    if (change(after?.manifests ?? []) === undefined) return;
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
  }
  throw new OciError('PROTOCOL', `Could not update the referrers tag ${tag} on ${formatRepository(t)}: other writers kept replacing it`, {
    registry: t.registry,
    repository: t.repository,
    hint: 'Retry when other pushes to this repository have finished',
  });
}
