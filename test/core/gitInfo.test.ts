import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readGitInfo } from '../../src/artifact/gitInfo';

// Push reads the folder's git state for the source, revision and created annotations. A folder in
// no checkout (a generated bundle, a CI scratch folder) has none, and asking git for it costs two
// processes; a `git` earlier on PATH that records its calls shows whether it was asked.
describe('readGitInfo', () => {
  let dir: string;
  let marker: string;
  let savedPath: string | undefined;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'oci-gitops-gitinfo-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    marker = join(dir, 'git-was-run');
    const realGit = execFileSync('sh', ['-c', 'command -v git']).toString().trim();
    writeFileSync(join(bin, 'git'), `#!/bin/sh\ntouch '${marker}'\nexec '${realGit}' "$@"\n`);
    chmodSync(join(bin, 'git'), 0o755);
    savedPath = process.env.PATH;
    process.env.PATH = `${bin}:${savedPath ?? ''}`;
  });
  after(() => {
    process.env.PATH = savedPath;
    rmSync(dir, { recursive: true, force: true });
  });

  test('starts no git process for a folder outside any git checkout', async () => {
    rmSync(marker, { force: true });
    const folder = join(dir, 'outside');
    mkdirSync(folder);
    writeFileSync(join(folder, 'app.yaml'), 'a: 1\n');
    assert.equal(await readGitInfo(folder), undefined);
    assert.equal(existsSync(marker), false, 'git was run');
  });

  test('asks git for a folder inside a checkout, and reads its commit', async () => {
    rmSync(marker, { force: true });
    const repo = join(dir, 'repo');
    const sub = join(repo, 'deploy');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'app.yaml'), 'a: 1\n');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'first');
    rmSync(marker, { force: true });
    const info = await readGitInfo(sub);
    assert.match(info?.revision ?? '', /^main@sha1:[0-9a-f]{40}$/);
    assert.equal(existsSync(marker), true, 'git was asked');
  });
});
