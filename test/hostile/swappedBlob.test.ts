import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readArtifactContents } from '../../src/artifact/contents';
import { isOciError, MediaType, OciClient, type ImageManifest, parseReference } from '../../src/oci';
import { gzip, leftovers, pushLayerArtifact, rawTar, runBundledCli, swapStoredBlob } from '../support/hostileArtifacts';
import { patternBytes } from '../integration/fixtures';
import { startRegistry, type RunningRegistry } from '../support/registry';

/**
 * Issue 15, case 1: a layer blob replaced in the registry's storage by an archive that ends early
 * (a different app.yaml, the end-of-archive blocks, then padding) must never be written, shown or
 * compared, whether it is as long as the real layer or shorter, gzip or plain tar, by tag or by digest.
 */
describe('a layer swapped in the registry storage is refused before any file is used', { timeout: 120_000 }, () => {
  let registry: RunningRegistry;
  let client: OciClient;
  const work = mkdtempSync(join(tmpdir(), 'oci-gitops-swapped-'));
  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    client = new OciClient();
  });
  after(async () => {
    await client?.close();
    await registry?.stop();
  });

  const honest = rawTar([
    { name: 'app.yaml', content: 'replicas: 1\n' },
    { name: 'values.bin', content: patternBytes(8 * 1024) },
  ]);
  const hostile = rawTar([{ name: 'app.yaml', content: 'replicas: 666\nimage: evil\n' }]);

  const variants = [
    {
      name: 'gzip, same size',
      mediaType: MediaType.OciLayerTarGzip,
      layer: gzip(honest),
      swapped: (size: number) => pad(gzip(hostile), size),
    },
    { name: 'gzip, shorter', mediaType: MediaType.OciLayerTarGzip, layer: gzip(honest), swapped: () => gzip(hostile) },
    { name: 'plain tar, same size', mediaType: MediaType.OciLayerTar, layer: honest, swapped: (size: number) => pad(hostile, size) },
    { name: 'plain tar, shorter', mediaType: MediaType.OciLayerTar, layer: honest, swapped: () => hostile },
  ];

  test('the honest artifact pulls into an existing empty folder, verified, with nothing left beside it', async () => {
    await pushLayerArtifact(client, `${registry.host}/swapped/honest`, '1.0.0', gzip(honest));
    const folder = join(work, 'honest');
    mkdirSync(folder);
    const run = await runBundledCli(['pull', `${registry.host}/swapped/honest:1.0.0`, folder]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(readFileSync(join(folder, 'app.yaml'), 'utf8'), 'replicas: 1\n');
    assert.deepEqual(leftovers(folder), ['honest'], 'no staging folder is left');
    const again = await runBundledCli(['pull', `${registry.host}/swapped/honest:1.0.0`, folder]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /is not empty; pull into a new or empty folder/);
  });

  for (const [index, variant] of variants.entries()) {
    describe(variant.name, () => {
      const repository = () => `${registry.host}/swapped/v${index}`;
      let pinned = '';
      let manifest: ImageManifest;
      before(async () => {
        const pushed = await pushLayerArtifact(client, repository(), '1.0.0', variant.layer, variant.mediaType);
        pinned = pushed.pinned;
        manifest = (await client.repository(parseReference(repository())).fetchManifest('1.0.0')).manifest as ImageManifest;
        const bytes = variant.swapped(variant.layer.length);
        assert.ok(bytes.length <= variant.layer.length);
        swapStoredBlob(registry.dataDir, pushed.layer.digest, bytes);
      });

      for (const by of ['tag', 'digest'] as const) {
        test(`pull by ${by} fails with an integrity error and writes nothing`, async () => {
          const folder = join(work, `pull-${index}-${by}`);
          const run = await runBundledCli(['pull', by === 'tag' ? `${repository()}:1.0.0` : pinned, folder], { timeoutMs: 30_000 });
          assert.equal(run.timedOut, false, 'the pull ended by itself');
          assert.equal(run.code, 1, `exit 1, got ${run.code}: ${run.stderr}`);
          assert.match(run.stderr, /Integrity check failed for blob/);
          assert.doesNotMatch(run.stderr, /unexpected error|\n\s+at /, 'a message, not a stack trace');
          assert.deepEqual(leftovers(folder), [], 'no folder, no staging folder');
        });
      }

      test('diff fails with the integrity error instead of comparing the swapped file', async () => {
        const run = await runBundledCli(['diff', `${repository()}:1.0.0`, pinned], { timeoutMs: 30_000 });
        assert.equal(run.code, 2, run.stderr);
        assert.match(run.stderr, /Integrity check failed/);
        assert.doesNotMatch(run.stdout, /666|evil/, 'nothing of the swapped file is printed');
      });

      test('the preview and the explorer (readArtifactContents) refuse the artifact', async () => {
        await assert.rejects(readArtifactContents(client.repository(parseReference(repository())), manifest), (error) =>
          isOciError(error, 'DIGEST_MISMATCH'),
        );
      });
    });
  }
});

/** Zero bytes after the data up to `size`: tar readers and gunzip ignore them. */
function pad(bytes: Buffer, size: number): Buffer {
  assert.ok(bytes.length <= size, `the hostile layer (${bytes.length}) must fit in the real one (${size})`);
  return Buffer.concat([bytes, Buffer.alloc(size - bytes.length)]);
}
