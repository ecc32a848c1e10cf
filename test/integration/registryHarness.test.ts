import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { startRegistry, type RunningRegistry } from '../support/registry';

// The benchmarks time commands with spawnSync, which stops this process's event loop for the
// whole command. Distribution logs one line per error response; when its log went to a pipe that
// only this process drained, about 160 404s filled the pipe and the registry stopped answering
// (`npm run bench cli` froze on its 13th push).
describe('the test registry while the test process is blocked', () => {
  let registry: RunningRegistry;
  before(async () => {
    registry = await startRegistry({ auth: 'none', accessLog: true });
  });
  after(async () => registry?.stop());

  test('answers 600 error responses in a row without its log being read', () => {
    const urls = Array.from({ length: 600 }, (_, i) => `${registry.url}/v2/bench/blocked/manifests/missing-${i}`);
    const result = spawnSync(
      'curl',
      ['-s', '-m', '10', '-I', '-w', '%{http_code}\\n', ...urls.flatMap((url) => ['-o', '/dev/null', url])],
      {
        timeout: 120_000,
      },
    );
    assert.equal(result.error, undefined, 'curl ran to its end');
    const codes = result.stdout.toString().trim().split('\n');
    assert.equal(codes.length, urls.length);
    assert.deepEqual(
      codes.filter((code) => code !== '404'),
      [],
      'every request got its 404',
    );
  });

  test('keeps the log it wrote meanwhile for tests that count requests', () => {
    const heads = registry.requests().filter((line) => line.startsWith('HEAD /v2/bench/blocked/manifests/missing-'));
    assert.equal(heads.length, 600);
  });
});
