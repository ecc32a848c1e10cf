import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EMPTY_DESCRIPTOR, MediaType } from '../../src/oci';
import { gzip, leftovers, rawTar, runBundledCli } from '../support/hostileArtifacts';
import { HostileServer, json, manifest as serveManifest } from '../support/hostileServer';

const sha = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const FORGED =
  'ok\u001b[2K\rDigest:        sha256:0000000000000000000000000000000000000000000000000000000000000000 (verified)\nMedia type:    forged\u009b31m\u202e';

/**
 * Issue 15, case 7: strings a registry controls are printed escaped (no forged lines, no terminal
 * sequences), and malformed manifests are refused with a message. A small registry on loopback
 * serves exactly the bytes each test wants.
 */
describe('registry strings and malformed manifests', { timeout: 60_000 }, () => {
  let server: HostileServer;
  const content = new Map<string, { bytes: Buffer; type: string }>();
  const work = mkdtempSync(join(tmpdir(), 'oci-gitops-strings-'));
  const put = (path: string, bytes: Buffer, type: string = MediaType.OciManifest) => content.set(path, { bytes, type });
  const layer = gzip(
    rawTar([
      { name: 'app.yaml', content: 'a: 1\n' },
      { name: 'evil\nadded    forged.yaml\u001b[31m', content: 'b: 2\n' },
    ]),
  );
  const config = Buffer.from('{}');

  before(async () => {
    server = await new HostileServer((_req, res, url) => {
      const hit = content.get(url.pathname);
      if (!hit) return json(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'unknown' }] });
      if (url.pathname.includes('/blobs/')) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(hit.bytes.length) });
        res.end(hit.bytes);
        return;
      }
      serveManifest(res, hit.bytes, hit.type);
    }).start();
    put(`/v2/app/blobs/${sha(layer)}`, layer);
    put(`/v2/app/blobs/${EMPTY_DESCRIPTOR.digest}`, config);
    const good = {
      schemaVersion: 2,
      mediaType: MediaType.OciManifest,
      config: EMPTY_DESCRIPTOR,
      layers: [{ mediaType: MediaType.OciLayerTarGzip, digest: sha(layer), size: layer.length }],
      annotations: { 'org.opencontainers.image.description': FORGED, [`key${FORGED}`]: 'v' },
    };
    put('/v2/app/manifests/forged', Buffer.from(JSON.stringify(good)));
    put(
      '/v2/app/manifests/title-number',
      Buffer.from(
        JSON.stringify({
          ...good,
          annotations: {},
          layers: [{ ...good.layers[0], annotations: { 'org.opencontainers.image.title': 42 } }],
        }),
      ),
    );
    put(
      '/v2/app/manifests/no-config',
      Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciManifest, layers: good.layers })),
    );
    put(
      '/v2/app/tags/list',
      Buffer.from(JSON.stringify({ name: 'app', tags: ['1.0.0', `2.0.0\nDigest: forged`, 'x\u001b]0;pwned\u0007'] })),
      'application/json',
    );
  });
  after(async () => server?.stop());

  test('inspect prints annotations with their control characters escaped: no forged line, no escape sequence', async () => {
    const run = await runBundledCli(['inspect', `${server.host}/app:forged`]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.split('\n').filter((l) => l.startsWith('Digest:')).length, 1, 'one Digest line, the real one');
    assert.equal(run.stdout.split('\n').filter((l) => l.startsWith('Media type:')).length, 1);
    assert.doesNotMatch(run.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/, 'no control character reaches the terminal');
    assert.match(run.stdout, /ok\\x1b\[2K\\rDigest: +sha256:0{64} \(verified\)\\nMedia type: +forged\\x9b31m\\u202e/);
  });

  test('inspect --json keeps them as JSON escapes', async () => {
    const run = await runBundledCli(['inspect', `${server.host}/app:forged`, '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    assert.equal(
      JSON.parse(run.stdout).manifest.annotations['org.opencontainers.image.description'],
      FORGED,
      'the JSON still carries the exact value',
    );
  });

  test('tags prints each tag on one line, escaped', async () => {
    const run = await runBundledCli(['tags', `${server.host}/app`]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.stdout.trimEnd().split('\n'), ['1.0.0', '2.0.0\\nDigest: forged', 'x\\x1b]0;pwned\\x07']);
  });

  test('diff refuses file names from the archive with control characters, naming them escaped', async () => {
    // Issue 19 item 7 and issue 27: such a name would become a file name with those bytes, so it is refused, not printed.
    const run = await runBundledCli(['diff', mkdtempSync(join(work, 'empty-')), `${server.host}/app:forged`]);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /"evil\\u\{a\}added {4}forged\.yaml\\u\{1b\}\[31m": a name with the unprintable character U\+000A/);
    assert.equal(run.stdout, '');
    assert.doesNotMatch(run.stderr, /[\u0000-\u0009\u000b-\u001f]|\n\s+at /);
  });

  for (const [tag, reason] of [
    ['title-number', /The manifest .* is malformed: the annotation "org\.opencontainers\.image\.title" of layers\[0\] is not a string/],
    ['no-config', /is malformed: it has no config descriptor/],
  ] as const) {
    test(`a manifest with ${tag === 'no-config' ? 'no config' : 'a non-string title'} is refused by inspect and pull with a message`, async () => {
      for (const args of [
        ['inspect', `${server.host}/app:${tag}`],
        ['pull', `${server.host}/app:${tag}`, join(work, tag)],
      ]) {
        const run = await runBundledCli(args);
        assert.equal(run.code, 1, `${args[0]}: ${run.stderr}`);
        assert.match(run.stderr, reason);
        assert.doesNotMatch(run.stderr, /unexpected error|\n\s+at /);
      }
      assert.deepEqual(leftovers(join(work, tag)), []);
    });
  }
});

describe('keygen --force never writes through a symbolic link', () => {
  test('a cosign.key that is a link is refused, and the link target is untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oci-gitops-keygen-'));
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, join(dir, 'cosign.key'));
    const run = await runBundledCli(['keygen', dir, '--force'], { env: { ...process.env, COSIGN_PASSWORD: 'pw' } });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /cosign\.key is a symbolic link; refusing to write a key through it/);
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
    assert.ok(lstatSync(join(dir, 'cosign.key')).isSymbolicLink());
    assert.equal(existsSync(join(dir, 'cosign.pub')), false, 'nothing written');
  });

  test('--force replaces real files, the private key with mode 0600', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oci-gitops-keygen-'));
    writeFileSync(join(dir, 'cosign.key'), 'old\n', { mode: 0o644 });
    const run = await runBundledCli(['keygen', dir, '--force'], { env: { ...process.env, COSIGN_PASSWORD: 'pw' } });
    assert.equal(run.code, 0, run.stderr);
    assert.match(readFileSync(join(dir, 'cosign.key'), 'utf8'), /ENCRYPTED SIGSTORE PRIVATE KEY/);
    assert.equal(statSync(join(dir, 'cosign.key')).mode & 0o777, 0o600);
  });
});
