import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { makeFolder } from '../support/folders';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { pullToFolder } from '../../src/artifact/pull';
import { packFolder } from '../../src/artifact/pack';
import { pushFolder } from '../../src/artifact/push';
import { digestOf, isOciError, OciClient, parseReference, StaticCredentials } from '../../src/oci';
import { FaultProxy } from '../support/faultProxy';
import { startRegistry } from '../support/registry';
import { useRegistry } from '../support/useRegistry';

const run = promisify(execFile);

function readTree(root: string, dir = root): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(out, readTree(root, path));
    else out[relative(root, path)] = readFileSync(path, 'utf8');
  }
  return out;
}

const TREE = {
  'kustomization.yaml': 'resources:\n  - apps/deploy.yaml\n',
  'apps/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n',
  'apps/config/settings.yaml': 'level: info\n',
};

const fixed = {
  source: 'https://example.com/fleet.git',
  revision: 'main@sha1:0123456789abcdef0123456789abcdef01234567',
  created: '2026-11-01T00:00:00Z',
};

describe('pushing a folder to CNCF Distribution', () => {
  const env = useRegistry({ auth: 'none' });

  test('push then pull gives back identical files', async () => {
    const { registry, client } = env;
    const folder = makeFolder(TREE);
    const result = await pushFolder(client, folder, parseReference(`${registry.host}/fleet/web:1.0.0`), fixed);
    assert.match(result.pinned, new RegExp(`^${registry.host}/fleet/web@sha256:[a-f0-9]{64}$`));
    const out = join(mkdtempSync(join(tmpdir(), 'pull-')), 'web');
    const pulled = await pullToFolder(client, parseReference(result.pinned), out);
    assert.equal(pulled.digest, result.digest);
    assert.deepEqual(readTree(out), TREE);
  });

  test('pushing the same folder twice gives the same digest and uploads nothing the second time', async () => {
    const { registry, client } = env;
    const folder = makeFolder(TREE);
    const first = await pushFolder(client, folder, parseReference(`${registry.host}/fleet/twice:1.0.0`), fixed);
    const second = await pushFolder(client, makeFolder(TREE), parseReference(`${registry.host}/fleet/twice:1.0.0`), fixed);
    assert.equal(second.digest, first.digest);
    assert.equal(second.uploadedBytes, 0);
  });

  test('every tag asked for points at the pushed digest', async () => {
    const { registry, client } = env;
    const result = await pushFolder(client, makeFolder(TREE), parseReference(`${registry.host}/fleet/multi:1.4.0`), {
      ...fixed,
      tags: ['latest', 'abc1234'],
    });
    for (const tag of ['1.4.0', 'latest', 'abc1234'])
      assert.equal((await client.repository(parseReference(`${registry.host}/fleet/multi`)).resolve(tag)).digest, result.digest);
  });

  test('moving an existing tag to other content is refused, naming both digests, and pushes nothing', async () => {
    const { registry, client } = env;
    const ref = parseReference(`${registry.host}/fleet/immutable:1.0.0`);
    const first = await pushFolder(client, makeFolder(TREE), ref, fixed);
    const changed = makeFolder({ ...TREE, 'apps/deploy.yaml': 'changed: true\n' });
    await assert.rejects(
      pushFolder(client, changed, ref, fixed),
      (error: unknown) =>
        isOciError(error, 'TAG_EXISTS') &&
        (error as Error).message.includes(first.digest) &&
        /nothing was pushed/.test((error as Error).message),
    );
    assert.equal((await client.repository(ref).resolve('1.0.0')).digest, first.digest);
    const asked: string[] = [];
    const moved = await pushFolder(client, changed, ref, {
      ...fixed,
      confirmMove: async (moves) => (asked.push(...moves.map((m) => m.tag)), true),
    });
    assert.deepEqual(asked, ['1.0.0']);
    assert.equal((await client.repository(ref).resolve('1.0.0')).digest, moved.digest);
  });

  test("annotations carry source, revision and created, plus the user's own", async () => {
    const { registry, client } = env;
    const result = await pushFolder(client, makeFolder(TREE), parseReference(`${registry.host}/fleet/annotated:1.0.0`), {
      ...fixed,
      annotations: { 'com.example.team': 'platform' },
    });
    const { manifest } = await client.repository(parseReference(`${registry.host}/fleet/annotated`)).fetchManifest(result.digest);
    assert.deepEqual(manifest.annotations, {
      'com.example.team': 'platform',
      'org.opencontainers.image.created': fixed.created,
      'org.opencontainers.image.revision': fixed.revision,
      'org.opencontainers.image.source': fixed.source,
    });
  });

  test('a clean git checkout gives created from the commit time, so the same commit gives the same digest', async () => {
    const { registry, client } = env;
    const folder = makeFolder(TREE);
    const git = (...args: string[]) =>
      run('git', ['-C', folder, ...args], {
        env: { ...process.env, GIT_AUTHOR_DATE: '2026-10-01T10:00:00Z', GIT_COMMITTER_DATE: '2026-10-01T10:00:00Z' },
      });
    await git('init', '-q', '-b', 'main');
    await git('remote', 'add', 'origin', 'https://bot:ghp_secret@github.com/example/fleet.git');
    await git('add', '-A');
    await git('-c', 'user.email=ci@example.com', '-c', 'user.name=CI', 'commit', '-qm', 'fleet');
    const commit = (await git('rev-parse', 'HEAD')).stdout.trim();
    const a = await pushFolder(client, folder, parseReference(`${registry.host}/fleet/git:1.0.0`));
    const b = await pushFolder(client, folder, parseReference(`${registry.host}/fleet/git:1.0.0`));
    assert.equal(a.digest, b.digest);
    assert.equal(a.annotations['org.opencontainers.image.created'], '2026-10-01T10:00:00Z');
    assert.equal(a.annotations['org.opencontainers.image.revision'], `main@sha1:${commit}`);
    assert.equal(a.annotations['org.opencontainers.image.source'], 'https://github.com/example/fleet.git');
  });

  test('a push to a new tag streams the layer (one PATCH, no length) and gives the digest packing the folder gives', async () => {
    const { registry, client } = env;
    const folder = makeFolder(TREE);
    const patches: string[] = [];
    const proxy = await new FaultProxy(registry.host, (req) => {
      if (req.method === 'PATCH') patches.push(String(req.headers['transfer-encoding']));
      return 'pass';
    }).start();
    try {
      const streamed = await pushFolder(client, folder, parseReference(`${proxy.host}/fleet/streamed:1.0.0`), fixed);
      assert.deepEqual(patches, ['chunked'], 'the layer went up as one chunked PATCH');
      const packed = await packFolder(folder);
      await packed.dispose();
      assert.equal(streamed.layers[0].digest, packed.digest, 'streaming and packing give the same bytes');
      assert.equal(streamed.layers[0].size, packed.size);
      const again = await pushFolder(client, makeFolder(TREE), parseReference(`${registry.host}/fleet/streamed-again:1.0.0`), fixed);
      assert.equal(again.digest, streamed.digest, 'the same folder gives the same digest');
      const out = join(mkdtempSync(join(tmpdir(), 'pull-')), 'streamed');
      await pullToFolder(client, parseReference(`${registry.host}/fleet/streamed@${streamed.digest}`), out);
      assert.deepEqual(readTree(out), TREE);
    } finally {
      await proxy.stop();
    }
  });

  test('a registry that refuses a streamed upload gets the packed layer instead, and the push lands', async () => {
    const { registry, client } = env;
    const proxy = await new FaultProxy(registry.host, (req) =>
      req.method === 'PATCH' && req.headers['transfer-encoding'] === 'chunked' ? { status: 411 } : 'pass',
    ).start();
    try {
      const result = await pushFolder(client, makeFolder(TREE), parseReference(`${proxy.host}/fleet/no-stream:1.0.0`), fixed);
      assert.ok(
        proxy.seen.some((s) => s.method === 'PATCH' && typeof s.action === 'object'),
        'the streamed PATCH was refused',
      );
      assert.ok(
        proxy.seen.some((s) => s.method === 'PUT' && s.url.includes('/blobs/uploads/') && s.url.includes(result.layers[0].digest.slice(7))),
        'the layer went up again, packed',
      );
      assert.equal((await client.repository(parseReference(`${registry.host}/fleet/no-stream`)).resolve('1.0.0')).digest, result.digest);
      const out = join(mkdtempSync(join(tmpdir(), 'pull-')), 'no-stream');
      await pullToFolder(client, parseReference(result.pinned.replace(proxy.host, registry.host)), out);
      assert.deepEqual(readTree(out), TREE);
    } finally {
      await proxy.stop();
    }
  });

  test('beforeUpload is shown the exact manifest before anything is written, and false pushes nothing', async () => {
    const { registry, client } = env;
    const proxy = await new FaultProxy(registry.host, () => 'pass').start();
    try {
      const ref = parseReference(`${proxy.host}/fleet/judged:1.0.0`);
      const shown: Buffer[] = [];
      await assert.rejects(
        pushFolder(client, makeFolder(TREE), ref, { ...fixed, beforeUpload: async (manifest) => (shown.push(manifest), false) }),
        (error: unknown) => isOciError(error, 'CANCELLED') && /no tag was created or moved/.test((error as Error).message),
      );
      assert.equal(shown.length, 1);
      assert.deepEqual(
        proxy.seen.filter((s) => s.method !== 'GET' && s.method !== 'HEAD').map((s) => `${s.method} ${s.url}`),
        [],
        'no upload was started, no manifest or tag written',
      );
      const pushed = await pushFolder(client, makeFolder(TREE), ref, { ...fixed, beforeUpload: async () => true });
      assert.equal(digestOf(shown[0]), pushed.digest, 'the manifest shown is the one pushed');
    } finally {
      await proxy.stop();
    }
  });

  test('an independent client (skopeo) reads the pushed manifest', async () => {
    const { registry, client } = env;
    const result = await pushFolder(client, makeFolder(TREE), parseReference(`${registry.host}/fleet/skopeo:1.0.0`), fixed);
    const { stdout } = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/fleet/skopeo:1.0.0`]);
    assert.equal(Buffer.from(stdout).toString(), result.manifest.toString());
  });
});

describe('pushing to registries with auth and TLS', () => {
  for (const mode of [{ auth: 'htpasswd' as const }, { auth: 'token' as const }, { auth: 'none' as const, tls: true }]) {
    test(`push and pull round-trip on a registry with ${mode.auth === 'none' ? 'TLS' : mode.auth} auth`, async () => {
      const registry = await startRegistry(mode);
      const client = new OciClient({
        credentials: new StaticCredentials(registry.host, registry.admin),
        settingsFor: () => ({ caFile: registry.caFile }),
      });
      try {
        const result = await pushFolder(client, makeFolder(TREE), parseReference(`${registry.host}/fleet/secure:1.0.0`), fixed);
        const out = join(mkdtempSync(join(tmpdir(), 'pull-')), 'x');
        await pullToFolder(client, parseReference(result.pinned), out);
        assert.deepEqual(readTree(out), TREE);
      } finally {
        await client.close();
        await registry.stop();
      }
    });
  }
});
