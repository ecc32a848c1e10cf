import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { MediaType, OciClient, parseReference } from '../../src/oci';
import { gzip, leftovers, paxEntry, pushLayerArtifact, rawHeader, rawTar, runBundledCli, type RawEntry } from '../support/hostileArtifacts';
import { patternBytes } from '../integration/fixtures';
import { startRegistry, type RunningRegistry } from '../support/registry';

/**
 * Issue 15, cases 2 and 7: every refusal while unpacking ends the download, leaves no file behind
 * and exits 1 with the reason, whichever entry the reader stopped at, for pull and for diff.
 * Each CLI run is bounded: a hang fails the test instead of stalling the suite.
 */
describe('a hostile archive is refused loudly, with nothing written and no hang', { timeout: 180_000 }, () => {
  let registry: RunningRegistry;
  let client: OciClient;
  const work = mkdtempSync(join(tmpdir(), 'oci-gitops-refusals-'));
  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    client = new OciClient();
  });
  after(async () => {
    await client?.close();
    await registry?.stop();
  });

  const big = { name: 'big.bin', content: patternBytes(2 * 1024 * 1024) };
  const cases: { name: string; layer: () => Buffer; mediaType?: string; reason: RegExp }[] = [
    {
      name: 'a traversal entry before a 2 MB file (gzip)',
      layer: () => gzip(rawTar([{ name: '../escape.yaml', content: 'x: 1\n' }, big, { name: 'app.yaml', content: 'a: 1\n' }])),
      reason: /Refusing the archive entry "\.\.\/escape\.yaml": its name contains "\.\."/,
    },
    {
      name: 'a traversal entry before a 2 MB file (plain tar)',
      mediaType: MediaType.OciLayerTar,
      layer: () => rawTar([{ name: '../escape.yaml', content: 'x: 1\n' }, big]),
      reason: /its name contains "\.\."/,
    },
    {
      name: 'an absolute entry name',
      layer: () => gzip(rawTar([{ name: '/etc/evil.yaml', content: 'x: 1\n' }, big])),
      reason: /its name is absolute/,
    },
    {
      name: 'a gzip bomb',
      layer: () =>
        gzipSync(Buffer.concat([rawHeader('zeros.bin', '0', 64 * 1024 * 1024), Buffer.alloc(64 * 1024 * 1024), Buffer.alloc(1024)]), {
          level: 9,
        }),
      reason: /inflates more than 200× its compressed size/,
    },
    { name: 'a 100,000-entry archive', layer: () => gzip(manyEntries(100_000)), reason: /more than 20000 files/ },
    {
      name: 'a duplicate entry',
      layer: () => gzip(rawTar([{ name: 'app.yaml', content: 'replicas: 1\n' }, big, { name: 'app.yaml', content: 'replicas: 666\n' }])),
      reason: /ambiguous: "app\.yaml" appears twice/,
    },
    {
      name: 'a file that is also a folder',
      layer: () =>
        gzip(
          rawTar([
            { name: 'apps', content: 'x\n' },
            { name: 'apps/app.yaml', content: 'a: 1\n' },
          ]),
        ),
      reason: /ambiguous: "apps" is both a file and a folder/,
    },
    {
      name: 'a folder that is also a file',
      layer: () =>
        gzip(
          rawTar([
            { name: 'apps/', type: '5' },
            { name: 'apps', content: 'x\n' },
          ]),
        ),
      reason: /ambiguous: "apps" is both a file and a folder/,
    },
    {
      name: 'a PAX size that is not a number',
      layer: () => gzip(rawTar([paxEntry({ size: '600MB' }), { name: 'huge.yaml', content: 'a: 1\n' }])),
      reason: /PAX header whose size is not a number/,
    },
    {
      name: 'a PAX size over the size limit',
      layer: () => gzip(rawTar([paxEntry({ size: String(600 * 1024 * 1024) }), { name: 'huge.yaml', content: 'a: 1\n' }])),
      reason: /unpacks to more than \d+ bytes \(at "huge\.yaml"\)/,
    },
    {
      name: 'a hard link',
      layer: () =>
        gzip(
          rawTar([
            { name: 'app.yaml', content: 'a: 1\n' },
            { name: 'link.yaml', type: '1', link: 'app.yaml' },
          ]),
        ),
      reason: /is a hard link, which is not allowed/,
    },
    {
      name: 'a bad entry last (the case that was already refused)',
      layer: () => gzip(rawTar([big, { name: 'app.yaml', content: 'a: 1\n' }, { name: '../escape.yaml', content: 'x: 1\n' }])),
      reason: /its name contains "\.\."/,
    },
  ];

  for (const [index, hostile] of cases.entries()) {
    describe(hostile.name, () => {
      const reference = () => `${registry.host}/hostile/case-${index}:1.0.0`;
      before(async () => {
        await pushLayerArtifact(client, `${registry.host}/hostile/case-${index}`, '1.0.0', hostile.layer(), hostile.mediaType);
      });

      test('pull exits 1 with the reason and leaves no file', async () => {
        const folder = join(work, `pull-${index}`);
        const run = await runBundledCli(['pull', reference(), folder], { timeoutMs: 60_000 });
        assert.equal(run.timedOut, false, 'the pull ended by itself');
        assert.equal(run.code, 1, `exit 1, got ${run.code}; stderr: ${run.stderr}`);
        assert.match(run.stderr, hostile.reason);
        assert.doesNotMatch(run.stderr, /unexpected error|\n\s+at /, 'a message, not a stack trace');
        assert.deepEqual(leftovers(folder), [], 'no folder and no staging folder');
        assert.equal(existsSync(join(work, 'escape.yaml')), false, 'nothing escaped the folder');
      });

      test('diff exits 2 (trouble, not a difference) with the reason', async () => {
        const run = await runBundledCli(
          [
            'diff',
            `${registry.host}/hostile/case-${index}@${(await client.repository(parseReference(`${registry.host}/hostile/case-${index}`)).resolve('1.0.0')).digest}`,
            reference(),
          ],
          { timeoutMs: 60_000 },
        );
        assert.equal(run.timedOut, false, 'the diff ended by itself');
        assert.equal(run.code, 2, `exit 2, got ${run.code}; stderr: ${run.stderr}`);
        assert.match(run.stderr, hostile.reason);
      });
    });
  }
});

/** Empty files f/000000 … in one archive: small compressed, far over the entry limit. */
function manyEntries(count: number): Buffer {
  const entries: RawEntry[] = [];
  for (let i = 0; i < count; i++) entries.push({ name: `f/${String(i).padStart(6, '0')}.yaml` });
  return rawTar(entries);
}
