import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { controlComponent } from '../../src/artifact/controlPaths';
import { readGitInfo } from '../../src/artifact/gitInfo';
import { OciClient } from '../../src/oci';
import { gzip, leftovers, pushLayerArtifact, rawTar, runBundledCli } from '../support/hostileArtifacts';
import { startRegistry, type RunningRegistry } from '../support/registry';

/**
 * Issue 15, case 3: an artifact must not be able to make a later command run its code. A pull
 * never writes `.git` (in any case) or another version-control control path, and git is run with
 * everything that could execute switched off, even inside a repository that carries such settings.
 */
describe('content from an artifact stays inert', { timeout: 120_000 }, () => {
  let registry: RunningRegistry;
  let client: OciClient;
  const work = mkdtempSync(join(tmpdir(), 'oci-gitops-inert-'));
  const marker = join(work, 'ran');
  const script = join(work, 'payload.sh');
  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    client = new OciClient();
    writeFileSync(script, `#!/bin/sh\necho "$0 $*" >> ${marker}\nexit 0\n`);
    chmodSync(script, 0o755);
  });
  after(async () => {
    await client?.close();
    await registry?.stop();
  });

  const gitConfig = (command: string) => `[core]\n\tfsmonitor = ${command}\n`;
  const carriers = [
    {
      name: '.git/config',
      entries: (cmd: string) => [
        { name: '.git/config', content: gitConfig(cmd) },
        { name: '.git/HEAD', content: 'ref: refs/heads/main\n' },
      ],
    },
    { name: '.GIT/config (another case)', entries: (cmd: string) => [{ name: '.GIT/config', content: gitConfig(cmd) }] },
    {
      name: 'deploy/.Git/hooks/post-checkout (nested, mixed case)',
      entries: (cmd: string) => [
        { name: 'deploy/app.yaml', content: 'a: 1\n' },
        { name: 'deploy/.Git/hooks/post-checkout', content: `#!/bin/sh\n${cmd}\n` },
      ],
    },
    { name: '.git as a gitdir pointer file', entries: () => [{ name: '.git', content: 'gitdir: /tmp/elsewhere\n' }] },
    { name: '.hg/hgrc', entries: (cmd: string) => [{ name: '.hg/hgrc', content: `[hooks]\npre-status = ${cmd}\n` }] },
    { name: '.svn/entries', entries: () => [{ name: '.svn/entries', content: '12\n' }] },
  ];

  for (const [index, carrier] of carriers.entries()) {
    test(`pull refuses an artifact that carries ${carrier.name}, writing nothing`, async () => {
      const repository = `${registry.host}/inert/case-${index}`;
      await pushLayerArtifact(
        client,
        repository,
        '1.0.0',
        gzip(rawTar([{ name: 'app.yaml', content: 'a: 1\n' }, ...carrier.entries(script)])),
      );
      const folder = join(work, `pulled-${index}`);
      const run = await runBundledCli(['pull', `${repository}:1.0.0`, folder]);
      assert.equal(run.code, 1, run.stderr);
      assert.match(
        run.stderr,
        /a version-control path \(.+\) that would make git or another tool run the artifact's settings\. Nothing was written/,
      );
      assert.deepEqual(leftovers(folder), []);
    });
  }

  test('control names are matched as case-insensitive and Windows filesystems see them', () => {
    for (const path of [
      '.git/config',
      '.GIT/x',
      'a/.Git/hooks/pre-commit',
      '.git./config',
      '.git /x',
      'GIT~1/config',
      '.hg/hgrc',
      '_darcs/prefs',
      'CVS/Root',
      '.jj/repo',
      '.bzr/x',
      '.fslckout',
    ]) {
      assert.notEqual(controlComponent(path), undefined, path);
    }
    for (const path of ['.github/workflows/ci.yaml', '.gitignore', '.gitattributes', 'git/config', 'deploy/.gitkeep', 'a.git/x']) {
      assert.equal(controlComponent(path), undefined, path);
    }
  });

  describe('git runs nothing a repository configures', () => {
    let repo: string;
    before(() => {
      repo = join(work, 'repo');
      mkdirSync(repo);
      const git = (...args: string[]) =>
        execFileSync('git', ['-C', repo, ...args], { env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: work } });
      git('init', '-q', '-b', 'main');
      git('config', 'user.email', 'ci@example.test');
      git('config', 'user.name', 'CI');
      writeFileSync(join(repo, 'app.yaml'), 'a: 1\n');
      writeFileSync(join(repo, '.gitattributes'), '*.yaml filter=evil\n');
      git('add', '.');
      git('-c', 'filter.evil.clean=cat', 'commit', '-q', '-m', 'first');
      // What a hostile .git/config would hold: every way `git status` could run a program.
      git('config', 'core.fsmonitor', `${script} fsmonitor`);
      git('config', 'core.hooksPath', join(work, 'hooks'));
      git('config', 'filter.evil.clean', `${script} clean`);
      git('config', 'filter.evil.process', `${script} process`);
      git('config', 'filter.evil.required', 'true');
      mkdirSync(join(work, 'hooks'));
      for (const hook of ['post-index-change', 'pre-commit', 'post-checkout']) {
        writeFileSync(join(work, 'hooks', hook), `#!/bin/sh\n${script} hook-${hook}\n`);
        chmodSync(join(work, 'hooks', hook), 0o755);
      }
      // A changed file whose stat no longer matches the index makes status hash it, through filters.
      writeFileSync(join(repo, 'app.yaml'), 'a: 2\n');
    });

    test('readGitInfo reads the commit and the dirty state without running fsmonitor, hooks or filters', async () => {
      const info = await readGitInfo(repo);
      assert.ok(info, 'the repository is read');
      assert.match(info.commit, /^[0-9a-f]{40}$/);
      assert.equal(info.clean, false, 'the changed file is seen');
      assert.equal(existsSync(marker), false, `nothing ran (${existsSync(marker) ? execFileSync('cat', [marker]).toString() : ''})`);
    });

    test('an inherited GIT_* environment does not redirect git', async () => {
      const saved = { ...process.env };
      process.env.GIT_DIR = join(work, 'nowhere');
      process.env.GIT_CONFIG_PARAMETERS = `'core.fsmonitor=${script} env'`;
      try {
        const info = await readGitInfo(repo);
        assert.ok(info, "the folder's own repository is read");
      } finally {
        for (const key of ['GIT_DIR', 'GIT_CONFIG_PARAMETERS']) {
          if (saved[key] === undefined) delete process.env[key];
          else process.env[key] = saved[key];
        }
      }
      assert.equal(existsSync(marker), false);
    });

    test('"oci-gitops push" of that folder runs nothing from it', async () => {
      const run = await runBundledCli(['push', repo, `${registry.host}/inert/pushed:1.0.0`]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(existsSync(marker), false, `nothing ran (${existsSync(marker) ? execFileSync('cat', [marker]).toString() : ''})`);
    });
  });
});
