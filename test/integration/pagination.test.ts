import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { bufferSource, MediaType, OciClient, parseReference } from '../../src/oci';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { artifactManifest } from './fixtures';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const TAG_COUNT = 1050;
const REPO_COUNT = 250;

async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

describe('listing every page of large registries (CNCF Distribution)', () => {
  let registry: RunningRegistry;
  let client: OciClient;
  const tags = Array.from({ length: TAG_COUNT }, (_, i) => `1.0.${i}`);
  const repositories = Array.from({ length: REPO_COUNT }, (_, i) => `fleet/app-${String(i).padStart(3, '0')}`);

  before(async () => {
    assert.ok(existsSync(CLI), `the CLI bundle ${CLI} is missing: run "npm run build" first`);
    registry = await startRegistry({ auth: 'none' });
    client = new OciClient();
    const { bytes, blobs } = artifactManifest({ files: { 'app.yaml': 'replicas: 1\n' } });
    const first = client.repository(parseReference(`${registry.host}/${repositories[0]}`));
    await first.pushBlob(bufferSource(Buffer.from('{}')));
    for (const blob of blobs) await first.pushBlob(bufferSource(blob));
    await inParallel(tags, 8, (tag) => first.pushManifest(bytes, MediaType.OciManifest, tag));
    await inParallel(repositories.slice(1), 8, async (name) => {
      const repo = client.repository(parseReference(`${registry.host}/${name}`));
      await repo.pushBlob(bufferSource(Buffer.from('{}')), { mountFrom: repositories[0] });
      for (const blob of blobs) await repo.pushBlob(bufferSource(blob), { mountFrom: repositories[0] });
      await repo.pushManifest(bytes, MediaType.OciManifest, 'v1');
    });
  });
  after(async () => {
    await client?.close();
    await registry?.stop();
  });

  test(`the client lists all ${TAG_COUNT} tags of a repository`, async () => {
    const listed: string[] = [];
    for await (const tag of client.repository(parseReference(`${registry.host}/${repositories[0]}`)).tags({ pageSize: 100 }))
      listed.push(tag);
    assert.deepEqual([...listed].sort(), [...tags].sort());
  });

  test(`the client follows the catalog's Link pages to all ${REPO_COUNT} repositories`, async () => {
    const api = client.registry(registry.host);
    const first = await api.repositoryPage({ pageSize: 100 });
    assert.equal(first.items.length, 100);
    assert.ok(first.next, 'the first page links to the next');
    const listed: string[] = [];
    for await (const name of api.repositories({ pageSize: 100 })) listed.push(name);
    assert.deepEqual(listed.sort(), [...repositories].sort());
  });

  test(`"oci-gitops tags" prints all ${TAG_COUNT} tags, one per line`, async () => {
    const { stdout } = await run(process.execPath, [CLI, 'tags', `${registry.host}/${repositories[0]}`]);
    assert.deepEqual(stdout.trim().split('\n').sort(), [...tags].sort());
  });

  test(`"oci-gitops repos" prints every repository across three catalog pages`, async () => {
    const { stdout } = await run(process.execPath, [CLI, 'repos', registry.host, '--page-size', '100']);
    assert.deepEqual(stdout.trim().split('\n').sort(), [...repositories].sort());
  });

  test('"oci-gitops inspect" prints the verified digest, media type and annotations', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'inspect', `${registry.host}/${repositories[0]}:1.0.7`]);
    const digest = (await client.repository(parseReference(`${registry.host}/${repositories[0]}`)).resolve('1.0.7')).digest;
    assert.match(stdout, new RegExp(`Digest: +${digest} \\(verified\\)`));
    assert.match(stdout, /Media type: +application\/vnd\.oci\.image\.manifest\.v1\+json/);
    assert.match(stdout, /app\.yaml/);
  });

  test('"oci-gitops inspect --json" gives machine-readable output', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'inspect', '--json', `${registry.host}/${repositories[1]}:v1`]);
    const parsed = JSON.parse(stdout) as { digest: string; digestVerified: boolean; manifest: { layers: unknown[] }; referrers: unknown[] };
    assert.match(parsed.digest, /^sha256:[a-f0-9]{64}$/);
    assert.equal(parsed.digestVerified, true);
    assert.equal(parsed.manifest.layers.length, 1);
    assert.deepEqual(parsed.referrers, []);
  });

  test('the CLI exits 1 with the reason on stderr when the tag does not exist', async () => {
    await assert.rejects(
      run(process.execPath, [CLI, 'inspect', `${registry.host}/${repositories[0]}:nope`]),
      (error: { code?: number; stderr?: string }) => {
        assert.equal(error.code, 1);
        assert.match(error.stderr ?? '', /MANIFEST_UNKNOWN/);
        return true;
      },
    );
  });

  test('the CLI exits 2 on a usage error and on an invalid reference exits 1', async () => {
    await assert.rejects(
      run(process.execPath, [CLI, 'tags']),
      (error: { code?: number; stderr?: string }) => error.code === 2 && /tags takes <repository>/.test(error.stderr ?? ''),
    );
    await assert.rejects(
      run(process.execPath, [CLI, 'inspect', 'ghcr.io/Bad/Name']),
      (error: { code?: number; stderr?: string }) => error.code === 1 && /must be lowercase/.test(error.stderr ?? ''),
    );
  });
});
