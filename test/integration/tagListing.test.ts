// The Registries view's tags at scale (src/vscode/tree/tagListing.ts): newest first, a page at a
// time, the same order across pages, on Distribution (which ignores `n` and answers with every
// tag at once) and on a registry that pages with `n` and Link headers (GHCR, Docker Hub, Harbor).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { digestOf, MediaType, OciClient, parseReference } from '../../src/oci';
import { TagListing } from '../../src/vscode/tree/tagListing';
import { sortTagsNewestFirst } from '../../src/artifact/tagOrder';
import { FakeRegistry } from '../support/fakeRegistry';
import { manyTagNames, seedManyTags } from '../support/manyTags';
import { startRegistry, type RunningRegistry } from '../support/registry';

const PAGE = 100;

/** Every page the view would show, "Load more…" after "Load more…". */
async function allPages(listing: TagListing): Promise<string[][]> {
  const pages: string[][] = [];
  let shown = 0;
  for (;;) {
    const now = listing.shown;
    pages.push(now.slice(shown));
    shown = now.length;
    if (!listing.hasMore) return pages;
    await listing.more();
  }
}

describe('tags in the Registries view, on Distribution (2,500 tags, all in one answer)', () => {
  let registry: RunningRegistry;
  let client: OciClient;
  const tags = manyTagNames(2500);
  let requests = 0;
  const listing = () =>
    new TagListing(
      () => {
        requests++;
        return client.repository(parseReference(`${registry.host}/fleet/many`)).tags({ pageSize: 1000 });
      },
      () => PAGE,
    );

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    client = new OciClient();
    await seedManyTags(client, registry, 'fleet/many', tags);
  });
  after(async () => {
    await client?.close();
    await registry?.stop();
  });

  test('the first page is the newest hundred by semantic version, not by name', async () => {
    const tagsOf = listing();
    await tagsOf.load();
    assert.equal(tagsOf.error, undefined);
    const newest = sortTagsNewestFirst(tags);
    assert.deepEqual(tagsOf.shown, newest.slice(0, PAGE));
    assert.ok(newest.indexOf('1.10.0') < newest.indexOf('1.9.39'), '1.10.0 is newer than 1.9.39');
    assert.ok(tagsOf.shown[0].startsWith('1.'), 'a release comes first, not "stable" or "main-…"');
    assert.ok(tagsOf.hasMore);
  });

  test('"Load more…" continues the same order: the pages put together are the whole sorted listing', async () => {
    const tagsOf = listing();
    const before = requests;
    await tagsOf.load();
    const pages = await allPages(tagsOf);
    assert.equal(pages.length, Math.ceil(tags.length / PAGE));
    assert.ok(pages.every((page) => page.length <= PAGE));
    assert.deepEqual(pages.flat(), sortTagsNewestFirst(tags));
    assert.equal(requests - before, 1, 'one listing, however many pages are shown');
  });

  test('"Filter…" searches every tag, newest first, and shows the matches a page at a time', async () => {
    const tagsOf = listing();
    await tagsOf.load();
    tagsOf.filter = '-rc';
    const expected = sortTagsNewestFirst(tags).filter((tag) => tag.includes('-rc'));
    assert.ok(expected.length > PAGE, 'more matches than a page');
    assert.deepEqual(tagsOf.shown, expected.slice(0, PAGE));
    assert.deepEqual((await allPages(tagsOf)).flat(), expected);
    tagsOf.filter = '';
    assert.deepEqual(tagsOf.shown, sortTagsNewestFirst(tags).slice(0, PAGE), 'clearing the filter starts again from the first page');
  });

  test('revealing an old tag (a push of a patch release, Reveal in Registry Explorer) shows the pages down to it', async () => {
    const tagsOf = listing();
    await tagsOf.load();
    tagsOf.filter = 'main-';
    assert.ok(tagsOf.reveal('1.0.1'));
    assert.equal(tagsOf.filter, '', 'a filter that hid it is cleared');
    assert.equal(tagsOf.shown.at(-1), '1.0.1');
    assert.equal(tagsOf.reveal('9.9.9'), false);
  });

  test('a failed listing is kept as the error and tried again on the next load', async () => {
    let fail = true;
    const tagsOf = new TagListing(
      () => (fail ? failing() : client.repository(parseReference(`${registry.host}/fleet/many`)).tags({ pageSize: 1000 })),
      () => PAGE,
    );
    await tagsOf.load();
    assert.match(String(tagsOf.error), /registry went away/);
    assert.equal(tagsOf.loaded, false);
    fail = false;
    await tagsOf.load();
    assert.equal(tagsOf.error, undefined);
    assert.equal(tagsOf.shown.length, PAGE);
  });
});

describe('tags in the Registries view, on a registry that pages tag lists (n ≤ 100, Link headers)', () => {
  let fake: FakeRegistry;
  let client: OciClient;

  before(async () => {
    fake = await new FakeRegistry().start();
    client = new OciClient();
  });
  after(async () => {
    await client?.close();
    await fake?.stop();
  });

  test('every registry page is followed before anything is shown, so the newest tag is first even when the registry lists it last', async () => {
    // Lexical order puts 1.10.x after 1.1.x and before 1.2.x, and 2.0.0 on the last page.
    const tags = [...Array.from({ length: 1200 }, (_, i) => `1.${Math.floor(i / 100)}.${i % 100}`), '2.0.0', 'latest'];
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.OciManifest,
        config: { mediaType: MediaType.OciEmpty, digest: digestOf(Buffer.from('{}')), size: 2 },
        layers: [],
      }),
    );
    fake.addManifest('org/app', manifest, MediaType.OciManifest, tags);
    fake.maxPageSize = 100;
    const tagsOf = new TagListing(
      () => client.repository(parseReference(`${fake.host}/org/app`)).tags({ pageSize: 1000 }),
      () => PAGE,
    );
    await tagsOf.load();
    assert.equal(tagsOf.error, undefined);
    assert.equal(fake.requests.filter((r) => r.url.includes('/tags/list')).length, Math.ceil(tags.length / 100));
    assert.deepEqual(tagsOf.shown.slice(0, 3), ['2.0.0', '1.11.99', '1.11.98']);
    assert.deepEqual((await allPages(tagsOf)).flat(), sortTagsNewestFirst(tags));
    assert.equal(tagsOf.all.at(-1), 'latest');
  });

  test('cosign and referrers fallback tags (sha256-….sig) are not listed', async () => {
    const hex = 'a'.repeat(64);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.OciManifest,
        config: { mediaType: MediaType.OciEmpty, digest: digestOf(Buffer.from('{}')), size: 2 },
        layers: [],
        annotations: { x: 'y' },
      }),
    );
    fake.addManifest('org/signed', manifest, MediaType.OciManifest, ['1.0.0', `sha256-${hex}.sig`, `sha256-${hex}`]);
    const tagsOf = new TagListing(
      () => client.repository(parseReference(`${fake.host}/org/signed`)).tags({ pageSize: 1000 }),
      () => PAGE,
    );
    await tagsOf.load();
    assert.deepEqual(tagsOf.all, ['1.0.0']);
  });
});

async function* failing(): AsyncGenerator<string> {
  yield* [];
  throw new Error('registry went away');
}
