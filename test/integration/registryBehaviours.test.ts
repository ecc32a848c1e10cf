import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { digestOf, isOciError, MediaType, OciClient, StaticCredentials, parseReference } from '../../src/oci';
import { FakeRegistry } from '../support/fakeRegistry';

const manifestBytes = (extra: object = {}) =>
  Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.OciManifest,
      config: { mediaType: MediaType.OciEmpty, digest: digestOf(Buffer.from('{}')), size: 2 },
      layers: [],
      ...extra,
    }),
  );

describe('registry behaviours Distribution 2.8 lacks (registry double)', () => {
  let fake: FakeRegistry;
  let client: OciClient;
  beforeEach(async () => {
    fake = await new FakeRegistry().start();
    client = new OciClient({ retry: { baseDelayMs: 10, maxDelayMs: 50 } });
  });
  after(async () => undefined);
  const cleanup = async () => {
    await client.close();
    await fake.stop();
  };

  test('tag lists paged with n and Link (GHCR, Docker Hub, Harbor style) are followed to the end', async () => {
    const tags = Array.from({ length: 1234 }, (_, i) => `v${String(i).padStart(4, '0')}`);
    fake.addManifest('org/app', manifestBytes(), MediaType.OciManifest, tags);
    fake.maxPageSize = 100;
    try {
      const listed: string[] = [];
      for await (const tag of client.repository(parseReference(`${fake.host}/org/app`)).tags({ pageSize: 1000 })) listed.push(tag);
      assert.deepEqual(listed, tags);
      const pages = fake.requests.filter((r) => r.url.includes('/tags/list'));
      assert.equal(pages.length, 13, 'thirteen pages of at most 100');
    } finally {
      await cleanup();
    }
  });

  test('one tag page at a time returns a cursor for the next', async () => {
    fake.addManifest('org/app', manifestBytes(), MediaType.OciManifest, ['a', 'b', 'c', 'd', 'e']);
    try {
      const repo = client.repository(parseReference(`${fake.host}/org/app`));
      const first = await repo.tagPage({ pageSize: 2 });
      assert.deepEqual(first.items, ['a', 'b']);
      const second = await repo.tagPage({ pageSize: 2, cursor: first.next });
      assert.deepEqual(second.items, ['c', 'd']);
    } finally {
      await cleanup();
    }
  });

  test("the referrers API is used, with the registry's artifactType filter and Link pages", async () => {
    const subject = fake.addManifest('org/app', manifestBytes(), MediaType.OciManifest, ['v1']);
    for (let i = 0; i < 5; i++)
      fake.addReferrer(subject, {
        mediaType: MediaType.OciManifest,
        digest: digestOf(Buffer.from(`r${i}`)),
        size: 10,
        artifactType: i % 2 ? 'application/spdx+json' : 'application/vnd.dev.cosign.artifact.sig.v1+json',
      });
    fake.referrersPageSize = 2;
    try {
      const repo = client.repository(parseReference(`${fake.host}/org/app`));
      assert.equal((await repo.referrers(subject)).length, 5);
      assert.equal((await repo.referrers(subject, { artifactType: 'application/spdx+json' })).length, 2);
      assert.ok(fake.requests.some((r) => r.url.includes('artifactType=application%2Fspdx%2Bjson')));
      // Issue 24: the fallback tag goes out alongside the first API request (a round trip saved
      // where there is no API), and is never read again once the API has answered.
      assert.ok(
        fake.requests.filter((r) => r.url.includes('/manifests/sha256-')).length <= 1,
        'the fallback tag is read only alongside the first referrers request',
      );
    } finally {
      await cleanup();
    }
  });

  test('when the registry ignores the artifactType filter the client filters itself', async () => {
    const subject = fake.addManifest('org/app', manifestBytes(), MediaType.OciManifest, ['v1']);
    fake.addReferrer(subject, { mediaType: MediaType.OciManifest, digest: digestOf(Buffer.from('x')), size: 1, artifactType: 'a/b' });
    fake.addReferrer(subject, { mediaType: MediaType.OciManifest, digest: digestOf(Buffer.from('y')), size: 1, artifactType: 'c/d' });
    fake.referrersMode = 'ignore';
    try {
      const found = await client.repository(parseReference(`${fake.host}/org/app`)).referrers(subject, { artifactType: 'c/d' });
      assert.deepEqual(
        found.map((d) => d.artifactType),
        ['c/d'],
      );
    } finally {
      await cleanup();
    }
  });

  test('429 with Retry-After is waited out and retried', async () => {
    fake.addManifest('org/app', manifestBytes(), MediaType.OciManifest, ['v1']);
    fake.fail('GET /v2/org/app/manifests', { kind: 'status', status: 429, retryAfter: '1', times: 1 });
    try {
      const started = Date.now();
      await client.repository(parseReference(`${fake.host}/org/app`)).fetchManifest('v1');
      assert.ok(Date.now() - started >= 900, 'waited for Retry-After');
    } finally {
      await cleanup();
    }
  });

  test('transient 503s and connection resets of idempotent requests are retried', async () => {
    fake.addManifest('org/app', manifestBytes(), MediaType.OciManifest, ['v1']);
    fake.fail('GET /v2/org/app/tags/list', { kind: 'status', status: 503, times: 2 });
    fake.fail('HEAD /v2/org/app/manifests', { kind: 'reset', times: 2 });
    try {
      const repo = client.repository(parseReference(`${fake.host}/org/app`));
      assert.deepEqual((await repo.tagPage()).items, ['v1']);
      assert.ok(await repo.resolve('v1'));
    } finally {
      await cleanup();
    }
  });

  test("a registry that keeps failing gives up with the registry's answer", async () => {
    fake.fail('GET /v2/org/app/tags/list', { kind: 'status', status: 503, times: 100 });
    try {
      await assert.rejects(
        client.repository(parseReference(`${fake.host}/org/app`)).tagPage(),
        (error: unknown) => isOciError(error, 'SERVER_ERROR') && /HTTP 503/.test((error as Error).message),
      );
    } finally {
      await cleanup();
    }
  });

  test('a manifest whose bytes do not match its digest is rejected', async () => {
    const digest = fake.addManifest('org/app', manifestBytes(), MediaType.OciManifest, ['v1']);
    fake.tampered.set(digest, manifestBytes({ annotations: { evil: 'yes' } }));
    try {
      await assert.rejects(client.repository(parseReference(`${fake.host}/org/app`)).fetchManifest('v1'), (error: unknown) =>
        isOciError(error, 'DIGEST_MISMATCH'),
      );
      await assert.rejects(client.repository(parseReference(`${fake.host}/org/app`)).fetchManifest(digest), (error: unknown) =>
        isOciError(error, 'DIGEST_MISMATCH'),
      );
    } finally {
      await cleanup();
    }
  });

  test('a blob whose bytes do not match its digest fails the stream', async () => {
    const blob = Buffer.from('the real content');
    const digest = fake.addBlob(blob);
    fake.tampered.set(digest, Buffer.from('the fake content'));
    try {
      await assert.rejects(
        client.repository(parseReference(`${fake.host}/org/app`)).fetchBlobBytes({ digest, size: blob.length }),
        (error: unknown) => isOciError(error, 'DIGEST_MISMATCH'),
      );
    } finally {
      await cleanup();
    }
  });

  test('a 50 MB manifest is refused by its size without being read', async () => {
    const huge = manifestBytes({ annotations: { big: 'x'.repeat(50 * 1024 * 1024) } });
    fake.addManifest('org/app', huge, MediaType.OciManifest, ['huge']);
    try {
      await assert.rejects(client.repository(parseReference(`${fake.host}/org/app`)).fetchManifest('huge'), (error: unknown) =>
        isOciError(error, 'TOO_LARGE'),
      );
    } finally {
      await cleanup();
    }
  });

  test('blob downloads follow a redirect to storage, and credentials do not cross to the other host', async () => {
    const blob = Buffer.from('stored elsewhere');
    const digest = fake.addBlob(blob);
    fake.redirectBlobs = true;
    fake.requireBasic = { username: 'u', password: 'p' };
    await client.close();
    client = new OciClient({ credentials: new StaticCredentials(fake.host, { username: 'u', password: 'p' }) });
    try {
      const bytes = await client.repository(parseReference(`${fake.host}/org/app`)).fetchBlobBytes({ digest, size: blob.length });
      assert.equal(bytes.toString(), 'stored elsewhere');
      assert.equal(fake.storageRequests.length, 1);
      assert.equal(fake.storageRequests[0].headers.authorization, undefined, 'no Authorization at the storage host');
      assert.ok(
        fake.requests.some((r) => r.headers.authorization?.startsWith('Basic ')),
        'the registry itself got the credentials',
      );
    } finally {
      await cleanup();
    }
  });

  test('the catalog of a registry that has none is reported as "add repositories by name"', async () => {
    try {
      await assert.rejects(
        client.registry(fake.host).repositoryPage(),
        (error: unknown) => isOciError(error, 'CATALOG_UNSUPPORTED') && /add them by name/.test((error as Error).message),
      );
    } finally {
      await cleanup();
    }
  });

  test('a registry that accepts the connection but never answers times out with a clear error', async () => {
    fake.fail('GET /v2/org/app/tags/list', { kind: 'hang', times: 100 });
    await client.close();
    client = new OciClient({ timeoutMs: 500, retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 } });
    try {
      const started = Date.now();
      await assert.rejects(
        client.repository(parseReference(`${fake.host}/org/app`)).tagPage(),
        (error: unknown) =>
          isOciError(error, 'TIMEOUT') &&
          /(did not answer: 2 attempts over [\d.]+ s, each waiting up to 0\.5 s|no complete answer within [\d.]+ s \(2 attempts; the limit is 1\.5 s)/.test(
            (error as Error).message,
          ),
      );
      assert.ok(Date.now() - started < 10_000);
    } finally {
      await cleanup();
    }
  });

  test('a registry that is not running is "unreachable" with what to check', async () => {
    const host = fake.host;
    await fake.stop();
    try {
      await assert.rejects(
        client.registry(host).ping(),
        (error: unknown) => isOciError(error, 'NETWORK') && /unreachable/.test((error as Error).message),
      );
    } finally {
      await client.close();
    }
  });
});

describe('cancellation', () => {
  let fake: FakeRegistry;
  before(async () => {
    fake = await new FakeRegistry().start();
  });
  after(async () => fake.stop());

  test('aborting while waiting for Retry-After cancels at once', async () => {
    fake.fail('GET /v2/org/slow/tags/list', { kind: 'status', status: 429, retryAfter: '30', times: 1 });
    const client = new OciClient();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    try {
      await assert.rejects(
        client.repository(parseReference(`${fake.host}/org/slow`)).tagPage({ signal: controller.signal }),
        (error: unknown) => isOciError(error, 'CANCELLED'),
      );
      assert.ok(Date.now() - started < 5000);
    } finally {
      await client.close();
    }
  });
});
