import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pushFolder } from '../../src/artifact/push';
import { bufferSource, digestOf, isOciError, OciClient, parseReference } from '../../src/oci';
import { FaultProxy } from '../support/faultProxy';
import { startRegistry } from '../support/registry';
import { patternBytes } from './fixtures';

describe('uploads that lose their connection (CNCF Distribution behind a faulty proxy)', () => {
  test("a chunk whose response is lost is recovered from the registry's upload status, and the blob is exact", async () => {
    const registry = await startRegistry({ auth: 'none' });
    let patches = 0;
    const proxy = await new FaultProxy(registry.host, (req) =>
      req.method === 'PATCH' && ++patches === 2 ? 'lose-response' : 'pass',
    ).start();
    const client = new OciClient({ retry: { baseDelayMs: 10, maxDelayMs: 50 } });
    try {
      const blob = patternBytes(5 * 1024 * 1024 + 7, 9);
      const repo = client.repository(parseReference(`${proxy.host}/team/chunks`));
      const pushed = await repo.pushBlob(bufferSource(blob), { chunkSize: 1024 * 1024 });
      assert.equal(pushed.how, 'uploaded');
      assert.ok(
        proxy.seen.some((s) => s.action === 'lose-response'),
        'a PATCH response was lost',
      );
      assert.ok(
        proxy.seen.some((s) => s.method === 'GET' && s.url.includes('/blobs/uploads/')),
        'the client asked the registry where the upload stands',
      );
      const back = await client
        .repository(parseReference(`${registry.host}/team/chunks`))
        .fetchBlobBytes({ digest: digestOf(blob), size: blob.length }, { maxBytes: 10 * 1024 * 1024 });
      assert.ok(back.equals(blob));
    } finally {
      await client.close();
      await proxy.stop();
      await registry.stop();
    }
  });

  test('a registry that stops mid-push gives a clear error and creates no tag; after a restart the push succeeds', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'registry-data-'));
    let registry = await startRegistry({ auth: 'none', dataDir });
    const port = registry.port;
    const folder = mkdtempSync(join(tmpdir(), 'big-folder-'));
    const { writeFileSync } = await import('node:fs');
    for (let i = 0; i < 4; i++) writeFileSync(join(folder, `data-${i}.bin`), patternBytes(2 * 1024 * 1024, i + 20));
    const ref = parseReference(`${registry.host}/team/interrupted:1.0.0`);
    const client = new OciClient({ retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 }, timeoutMs: 5_000 });
    let stopped = false;
    try {
      await assert.rejects(
        pushFolder(client, folder, ref, {
          source: 'https://example.com/x.git',
          revision: 'main@sha1:0000000000000000000000000000000000000000',
          created: '2026-01-01T00:00:00Z',
          onProgress: (p) => {
            if (p.phase === 'uploading' && p.bytesDone > 0 && !stopped) {
              stopped = true;
              void registry.stop();
            }
          },
        }),
        (error: unknown) => isOciError(error) && /127\.0\.0\.1/.test((error as Error).message),
      );
      registry = await startRegistry({ auth: 'none', dataDir, port });
      await assert.rejects(client.repository(ref).resolve('1.0.0'), (error: unknown) => isOciError(error), 'no tag was created');
      const result = await pushFolder(client, folder, ref, {
        source: 'https://example.com/x.git',
        revision: 'main@sha1:0000000000000000000000000000000000000000',
        created: '2026-01-01T00:00:00Z',
      });
      assert.equal((await client.repository(ref).resolve('1.0.0')).digest, result.digest);
    } finally {
      await client.close();
      await registry.stop();
    }
  });
});
