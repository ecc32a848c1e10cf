import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { wasmCustomSection } from '../../src/artifact/wasmSections';
import { EMPTY_DESCRIPTOR, MediaType } from '../../src/oci';
import { wasmWithSections, zip } from '../support/archives';
import { leftovers, runBundledCli, type CliRun } from '../support/hostileArtifacts';
import { HostileServer, json, manifest as serveManifest } from '../support/hostileServer';

const sha = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const WASM_CONFIG = 'application/vnd.wasm.config.v1+json';
const WASM_LAYER = 'application/vnd.wasm.content.layer.v1+wasm';

function refusedWithMessage(run: CliRun, reason: RegExp): void {
  assert.equal(run.timedOut, false, 'it ended by itself');
  assert.equal(run.code, 1, `exit 1, got ${run.code}: ${run.stderr}`);
  assert.match(run.stderr, reason);
  assert.doesNotMatch(run.stderr, /unexpected error|\n\s+at /, 'a message, not a stack trace');
}

/**
 * Issue 19, cases 4 and 7: registry JSON of the wrong shape is refused where it is parsed, naming
 * the field, and archives and modules are bounded as a whole. A registry on loopback serves exactly
 * the bytes each case needs (Distribution itself refuses to store most of them).
 */
describe('registry JSON of the wrong shape, archive and module bombs', { timeout: 120_000 }, () => {
  let server: HostileServer;
  const content = new Map<string, { bytes: Buffer; type: string }>();
  const work = mkdtempSync(join(tmpdir(), 'oci-gitops-shapes-'));
  const blob = (bytes: Buffer) => {
    content.set(`/v2/app/blobs/${sha(bytes)}`, { bytes, type: 'application/octet-stream' });
    return sha(bytes);
  };
  const tag = (name: string, value: unknown, type: string = MediaType.OciManifest) =>
    content.set(`/v2/app/manifests/${name}`, {
      bytes: Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value)),
      type,
    });
  const artifact = (config: { mediaType: string; bytes: Buffer }, layers: { mediaType: string; bytes: Buffer }[], extra = {}) => ({
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config: { mediaType: config.mediaType, digest: blob(config.bytes), size: config.bytes.length },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: blob(l.bytes), size: l.bytes.length })),
    ...extra,
  });
  const policy = (metadata: string) =>
    artifact({ mediaType: WASM_CONFIG, bytes: Buffer.from('{}') }, [
      { mediaType: WASM_LAYER, bytes: wasmWithSections({ 'io.kubewarden.metadata': metadata }) },
    ]);
  const inspect = (name: string, json = false) =>
    runBundledCli(['inspect', `${server.host}/app:${name}`, ...(json ? ['--json'] : [])], { timeoutMs: 60_000 });

  before(async () => {
    server = await new HostileServer((_req, res, url) => {
      const hit = content.get(url.pathname);
      if (url.pathname.includes('/referrers/') || (url.pathname.includes('/manifests/sha256-') && !hit))
        return json(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'unknown' }] });
      if (url.pathname === '/v2/app/tags/list') return json(res, 200, { name: 'app', tags: [] });
      if (!hit) return json(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'unknown' }] });
      if (url.pathname.includes('/blobs/')) {
        res.writeHead(200, { 'content-type': hit.type, 'content-length': String(hit.bytes.length) });
        res.end(hit.bytes);
        return;
      }
      serveManifest(res, hit.bytes, hit.type);
    }).start();
    blob(Buffer.from('{}'));
    tag('to-string', policy(JSON.stringify({ rules: [{ apiGroups: [{ toString: 1 }], resources: ['pods'] }] })));
    tag('nested-rules', policy(`{"rules":${'['.repeat(100_000)}${']'.repeat(100_000)}}`));
    const index = {
      schemaVersion: 2,
      mediaType: MediaType.OciIndex,
      manifests: [
        {
          mediaType: MediaType.OciManifest,
          digest: EMPTY_DESCRIPTOR.digest,
          size: 2,
          platform: { os: { name: 'linux' }, architecture: 'amd64' },
        },
      ],
    };
    tag('platform-object', index, MediaType.OciIndex);
    const deep = artifact({ mediaType: EMPTY_DESCRIPTOR.mediaType, bytes: Buffer.from('{}') }, []);
    tag('deep', Buffer.from(`${JSON.stringify(deep).slice(0, -1)},"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`));
    // 250 files of 1 MiB of zeros each: every entry is small enough to skip the per-file ratio check.
    const zeros = Buffer.alloc(1024 * 1024);
    const bomb = zip(Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`zeros-${i}.tf`, zeros])), true);
    tag(
      'zip-bomb',
      artifact({ mediaType: EMPTY_DESCRIPTOR.mediaType, bytes: Buffer.from('{}') }, [{ mediaType: 'archive/zip', bytes: bomb }], {
        artifactType: 'application/vnd.opentofu.modulepkg',
      }),
    );
  });
  after(async () => {
    await server?.stop();
  });

  test('a Kubewarden rule with an object in apiGroups: the policy is shown, its metadata refused by field', async () => {
    const run = await inspect('to-string');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /rules\[0\]\.apiGroups is not a list of strings/);
    assert.doesNotMatch(run.stderr, /unexpected error|\n\s+at /);
  });

  test('Kubewarden rules nested 100,000 deep: refused by depth before they are parsed', async () => {
    const run = await inspect('nested-rules', true);
    assert.equal(run.code, 0, run.stderr);
    assert.match(JSON.parse(run.stdout).summary.metadata, /nests more than 16 levels/);
  });

  test('an index whose platform os is an object: refused, naming the field', async () => {
    refusedWithMessage(await inspect('platform-object'), /manifests\[0\]'s platform's os is not a string/);
  });

  test('inspect --json of a manifest nested 100,000 deep: refused, naming the depth and the manifest', async () => {
    refusedWithMessage(await inspect('deep', true), /is not usable JSON: it nests more than 32 levels/);
  });

  test('a 250 MiB zip bomb of 1 MiB entries: pull refuses it as a whole and writes nothing', async () => {
    const folder = join(work, 'bomb');
    const run = await runBundledCli(['pull', `${server.host}/app:zip-bomb`, folder], { timeoutMs: 60_000 });
    refusedWithMessage(run, /declares 262144000 bytes of files, more than 200× its \d+ bytes \(a zip bomb\?\)/);
    assert.deepEqual(leftovers(folder), []);
  });

  test('a module of 2.8 million custom sections: refused by count, in bounded memory', () => {
    const empty = Buffer.from([0, 1, 0]);
    const module = Buffer.concat([Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0, 0, 0]), Buffer.alloc(2_800_000 * 3)]);
    for (let at = 8; at < module.length; at += 3) empty.copy(module, at);
    const before = process.memoryUsage().rss;
    assert.throws(() => wasmCustomSection(module, 'io.kubewarden.metadata'), /more than 100000 sections/);
    const grown = process.memoryUsage().rss - before;
    assert.ok(grown < 32 * 1024 * 1024, `memory grew by ${grown} bytes`);
    const one = wasmWithSections({ a: 'first', 'io.kubewarden.metadata': '{}', b: 'x' });
    assert.equal(wasmCustomSection(one, 'io.kubewarden.metadata')?.toString(), '{}');
  });
});
