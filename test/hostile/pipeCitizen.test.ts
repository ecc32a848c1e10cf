import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parseReference } from '../../src/oci';
import { pushArtifact } from '../integration/fixtures';
import { runBundledCli } from '../support/hostileArtifacts';
import { manyTagNames, seedManyTags } from '../support/manyTags';
import { useRegistry } from '../support/useRegistry';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

interface PipedRun {
  /** What `head -1` printed. */
  stdout: string;
  /** What the CLI printed on stderr. */
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** `oci-gitops <args> | head -1`, two real processes joined by a pipe, as a shell joins them. */
function pipedIntoHead(args: string[]): Promise<PipedRun> {
  if (!existsSync(CLI)) throw new Error(`the CLI bundle ${CLI} is missing: run "npm run package" first`);
  return new Promise((resolve, reject) => {
    const head = spawn('head', ['-1'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const cli = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', head.stdin, 'pipe'] });
    // Only the CLI writes into head: once head has its line and exits, the CLI's next write meets a closed pipe.
    head.stdin.destroy();
    let stdout = '';
    let stderr = '';
    head.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => cli.kill('SIGKILL'), 60_000);
    cli.on('error', reject);
    cli.on('close', (code, signal) => {
      clearTimeout(killer);
      head.on('close', () => resolve({ stdout, stderr, code, signal }));
      if (head.exitCode !== null) resolve({ stdout, stderr, code, signal });
    });
  });
}

describe('the CLI in a pipeline', { timeout: 180_000 }, () => {
  const context = useRegistry({ auth: 'none' });
  // Far more than a pipe holds (64 KiB): the CLI is still writing when head has closed its end.
  const tags = manyTagNames(20_000);
  before(() => seedManyTags(context.client, context.registry, 'fleet/many', tags));

  test('"tags … | head -1" prints one line and ends quietly with the status of a closed pipe', async () => {
    const run = await pipedIntoHead(['tags', `${context.registry.host}/fleet/many`]);
    assert.equal(run.stdout.split('\n').filter(Boolean).length, 1, run.stdout);
    assert.ok(tags.includes(run.stdout.trim()), `a tag of the repository: ${run.stdout}`);
    assert.equal(run.stderr, '', 'no message and no stack trace');
    assert.equal(run.code, 141, `128 + SIGPIPE, as git and grep end; got ${run.code} (${run.signal})`);
  });

  test('"tags --semver … | head -1" prints the pick and ends quietly', async () => {
    const args = ['tags', `${context.registry.host}/fleet/many`, '--semver', '>=1.0.0'];
    const whole = await runBundledCli(args);
    const run = await pipedIntoHead(args);
    assert.equal(run.stdout, `${whole.stdout.split('\n')[0]}\n`);
    assert.equal(run.stderr, '');
    assert.ok(run.code === 141 || run.code === 0, `quiet status, got ${run.code}`);
  });

  test('"inspect … | head -1" of an artifact with 2,000 annotations ends quietly', async () => {
    const annotations = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`example.test/note-${i}`, 'x'.repeat(100)]));
    const repo = context.client.repository(parseReference(`${context.registry.host}/fleet/annotated`));
    await pushArtifact(repo, '1.0.0', { annotations });
    for (const json of [false, true]) {
      const run = await pipedIntoHead(['inspect', `${context.registry.host}/fleet/annotated:1.0.0`, ...(json ? ['--json'] : [])]);
      assert.equal(run.stdout.split('\n').filter(Boolean).length, 1, run.stdout);
      assert.equal(run.stderr, '', 'no message and no stack trace');
      assert.ok(run.code === 141 || run.code === 0, `quiet status, got ${run.code}`);
    }
  });

  describe('diff exits 0 when equal, 1 when different, 2 on error', () => {
    before(async () => {
      const repo = context.client.repository(parseReference(`${context.registry.host}/fleet/diff`));
      await pushArtifact(repo, 'a', { files: { 'app.yaml': 'replicas: 1\n' } });
      await pushArtifact(repo, 'a-again', { files: { 'app.yaml': 'replicas: 1\n' } });
      await pushArtifact(repo, 'b', { files: { 'app.yaml': 'replicas: 3\n' } });
    });

    test('equal contents: 0', async () => {
      const run = await runBundledCli(['diff', `${context.registry.host}/fleet/diff:a`, `${context.registry.host}/fleet/diff:a-again`]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /0 added, 0 removed, 0 changed, 1 unchanged/);
    });

    test('different contents: 1, with the diff printed (--json too)', async () => {
      const run = await runBundledCli(['diff', `${context.registry.host}/fleet/diff:a`, `${context.registry.host}/fleet/diff:b`]);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stdout, /^\+replicas: 3$/m);
      const json = await runBundledCli([
        'diff',
        `${context.registry.host}/fleet/diff:a`,
        `${context.registry.host}/fleet/diff:b`,
        '--json',
      ]);
      assert.equal(json.code, 1, json.stderr);
      assert.deepEqual(JSON.parse(json.stdout).changed, ['app.yaml']);
    });

    test('an artifact that is not there: 2, with the reason and no stack trace', async () => {
      const run = await runBundledCli(['diff', `${context.registry.host}/fleet/diff:a`, `${context.registry.host}/fleet/diff:missing`]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /missing/);
      assert.doesNotMatch(run.stderr, /unexpected error|\n\s+at /);
    });

    test('a usage error: 2', async () => {
      const run = await runBundledCli(['diff', `${context.registry.host}/fleet/diff:a`]);
      assert.equal(run.code, 2, run.stderr);
    });
  });
});
