import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFolder } from '../support/folders';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { isArtifactError } from '../../src/artifact/errors';
import { pullToFolder } from '../../src/artifact/pull';
import { errorMessage } from '../../src/text/format';
import { pushFolder } from '../../src/artifact/push';
import { OciClient, parseReference } from '../../src/oci';
import { FaultProxy } from '../support/faultProxy';
import { startRegistry } from '../support/registry';
import { useRegistry } from '../support/useRegistry';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const fixed = {
  source: 'https://example.com/fleet.git',
  revision: 'main@sha1:0123456789abcdef0123456789abcdef01234567',
  created: '2026-11-01T00:00:00Z',
};

describe('push through a rate-limiting, flaky registry', () => {
  test('429 with Retry-After and transient 503s during a push are retried and the push lands', async () => {
    const registry = await startRegistry({ auth: 'none' });
    let manifestPuts = 0;
    let blobHeads = 0;
    const proxy = await new FaultProxy(registry.host, (req) => {
      if (req.method === 'PUT' && req.url?.includes('/manifests/') && ++manifestPuts === 1) return { status: 429, retryAfter: '1' };
      if (req.method === 'HEAD' && req.url?.includes('/blobs/') && ++blobHeads <= 2) return { status: 503 };
      return 'pass';
    }).start();
    const client = new OciClient({ retry: { baseDelayMs: 10, maxDelayMs: 50 } });
    try {
      const result = await pushFolder(client, makeFolder({ 'a.yaml': 'a: 1\n' }), parseReference(`${proxy.host}/fleet/flaky:1.0.0`), fixed);
      assert.ok(proxy.seen.some((s) => typeof s.action === 'object' && s.action.status === 429));
      assert.equal((await client.repository(parseReference(`${registry.host}/fleet/flaky`)).resolve('1.0.0')).digest, result.digest);
    } finally {
      await client.close();
      await proxy.stop();
      await registry.stop();
    }
  });
});

describe('pull and diff', () => {
  const env = useRegistry({ auth: 'none' });

  test('pull refuses a folder that is not empty, so nothing is overwritten', async () => {
    const { registry, client } = env;
    const result = await pushFolder(client, makeFolder({ 'a.yaml': 'a: 1\n' }), parseReference(`${registry.host}/fleet/pull:1.0.0`), fixed);
    const target = makeFolder({ 'keep.txt': 'mine' });
    await assert.rejects(
      pullToFolder(client, parseReference(result.pinned), target),
      (error: unknown) => isArtifactError(error, 'FOLDER_INVALID') && /is not empty/.test(errorMessage(error)),
    );
  });

  test('"oci-gitops diff" lists added, removed and changed files with a unified diff of the change', async () => {
    const { registry, client } = env;
    const v1 = makeFolder({ 'keep.yaml': 'same: true\n', 'gone.yaml': 'old: true\n', 'deploy.yaml': 'replicas: 1\n' });
    const v2 = makeFolder({ 'keep.yaml': 'same: true\n', 'new.yaml': 'fresh: true\n', 'deploy.yaml': 'replicas: 3\n' });
    await pushFolder(client, v1, parseReference(`${registry.host}/fleet/diff:1.0.0`), fixed);
    await pushFolder(client, v2, parseReference(`${registry.host}/fleet/diff:2.0.0`), fixed);
    // Artifacts that differ exit 1, as diff(1) does.
    const { stdout } = await run(process.execPath, [
      CLI,
      'diff',
      `${registry.host}/fleet/diff:1.0.0`,
      `${registry.host}/fleet/diff:2.0.0`,
    ]).then(
      () => assert.fail('diff exits 1 when the artifacts differ'),
      (error: { code: number; stdout: string }) => {
        assert.equal(error.code, 1);
        return error;
      },
    );
    assert.match(stdout, /^added +new\.yaml$/m);
    assert.match(stdout, /^removed +gone\.yaml$/m);
    assert.match(stdout, /^changed +deploy\.yaml$/m);
    assert.match(stdout, /1 added, 1 removed, 1 changed, 1 unchanged/);
    assert.match(stdout, /^-replicas: 1$/m);
    assert.match(stdout, /^\+replicas: 3$/m);
    const folderDiff = await run(process.execPath, [CLI, 'diff', v2, `${registry.host}/fleet/diff:2.0.0`, '--json']);
    assert.deepEqual(JSON.parse(folderDiff.stdout), { added: [], removed: [], changed: [], unchanged: 3 });
  });

  test('"oci-gitops push" prints the pinned reference and refuses to move a tag without --force', async () => {
    const { registry } = env;
    const folder = makeFolder({ 'x.yaml': 'x: 1\n' });
    const ref = `${registry.host}/fleet/cli:1.0.0`;
    const first = await run(process.execPath, [CLI, 'push', folder, ref, '--source', fixed.source, '--revision', fixed.revision]);
    assert.match(first.stdout.trim(), new RegExp(`^${registry.host}/fleet/cli@sha256:[a-f0-9]{64}$`));
    writeFileSync(join(folder, 'x.yaml'), 'x: 2\n');
    await assert.rejects(
      run(process.execPath, [CLI, 'push', folder, ref, '--source', fixed.source, '--revision', fixed.revision]),
      (error: { code?: number; stderr?: string }) =>
        error.code === 1 &&
        /already points at another artifact; nothing was pushed/.test(error.stderr ?? '') &&
        /--force/.test(error.stderr ?? ''),
    );
    const forced = await run(process.execPath, [
      CLI,
      'push',
      folder,
      ref,
      '--force',
      '--source',
      fixed.source,
      '--revision',
      fixed.revision,
    ]);
    assert.notEqual(forced.stdout.trim(), first.stdout.trim());
  });
});
