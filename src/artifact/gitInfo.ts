import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface GitInfo {
  /** The remote URL with any credentials removed. */
  source?: string;
  /** Flux's revision format: `<branch or tag>@sha1:<commit>`. */
  revision: string;
  commit: string;
  /** True when nothing under the folder differs from the commit. */
  clean: boolean;
  /** The commit time in UTC, RFC 3339. */
  commitTime: string;
}

/**
 * Settings through which git would run a program while we only read state: the fsmonitor hook
 * (run by `status`), hooks, pagers, editors, ssh and external diff commands. Clean and smudge
 * filters are named by the repository, so they are neutralised by name (see `git()`).
 */
const INERT_CONFIG = [
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'core.untrackedCache=false',
  'core.pager=cat',
  'core.editor=false',
  'core.sshCommand=false',
  'core.askPass=',
  'diff.external=',
  'credential.helper=',
  'protocol.allow=never',
];

/**
 * The environment git runs in: only what locates the user's own configuration and git itself.
 * Every GIT_* variable (GIT_DIR, GIT_CONFIG_PARAMETERS, GIT_EXTERNAL_DIFF, GIT_SSH_COMMAND…) is
 * dropped, so nothing inherited points git elsewhere or adds commands.
 */
function cleanEnvironment(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'USERPROFILE', 'SYSTEMROOT', 'XDG_CONFIG_HOME', 'TMPDIR', 'TEMP', 'TMP'];
  const env: NodeJS.ProcessEnv = {};
  for (const name of keep) if (process.env[name] !== undefined) env[name] = process.env[name];
  return { ...env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_NO_REPLACE_OBJECTS: '1' };
}

async function rawGit(cwd: string, config: string[], args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', [...config.flatMap((c) => ['-c', c]), '-C', cwd, ...args], {
      timeout: 10_000,
      env: cleanEnvironment(),
      windowsHide: true,
    });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/**
 * A git that reads a folder's state without letting the repository run anything: a pulled or
 * cloned folder may carry a `.git/config` whose fsmonitor, hooks or filters are commands, and
 * `git status` would run them. The repository's filter drivers are found by reading its
 * configuration (which runs nothing) and each is overridden with an empty command, which git
 * treats as no filter. safe.directory is left as it is: git's own refusal of a repository owned
 * by someone else is a protection too.
 */
async function inertGit(cwd: string): Promise<(...args: string[]) => Promise<string | undefined>> {
  // Only the repository's own filters: the user's global and system ones (git-lfs) are theirs.
  const listed =
    (await rawGit(cwd, INERT_CONFIG, ['config', '--show-scope', '--name-only', '--get-regexp', '^filter\\.']))?.split('\n') ?? [];
  const drivers = listed.filter((line) => /^(local|worktree)\t/.test(line)).map((line) => line.slice(line.indexOf('\t') + 1));
  const filters = [...new Set(drivers.map((name) => /^filter\.(.+)\.[^.]+$/.exec(name)?.[1]).filter((d): d is string => !!d))];
  const neutral = filters.flatMap((driver) => [
    `filter.${driver}.clean=`,
    `filter.${driver}.smudge=`,
    `filter.${driver}.process=`,
    `filter.${driver}.required=false`,
  ]);
  return (...args) => rawGit(cwd, [...INERT_CONFIG, ...neutral], args);
}

/** What the folder's git checkout says about it; undefined when it is not in a git work tree. */
export async function readGitInfo(folder: string): Promise<GitInfo | undefined> {
  if (!(await mayBeInGitWorkTree(folder))) return undefined;
  const git = await inertGit(folder);
  const commit = await git('rev-parse', 'HEAD');
  if (!commit || !/^[0-9a-f]{40}$/.test(commit)) return undefined;
  let ref = await git('symbolic-ref', '--short', '-q', 'HEAD');
  if (!ref) ref = (await git('describe', '--tags', '--exact-match', 'HEAD')) ?? 'HEAD';
  const status = await git('status', '--porcelain', '--untracked-files=normal', '--', '.');
  const time = await git('log', '-1', '--format=%ct', 'HEAD');
  const remoteName = (await git('config', '--get', `branch.${ref}.remote`)) ?? 'origin';
  const remote = (await git('remote', 'get-url', remoteName)) ?? (await git('remote', 'get-url', 'origin'));
  return {
    source: remote ? stripCredentials(remote) : undefined,
    revision: `${ref}@sha1:${commit}`,
    commit,
    clean: status === '',
    commitTime: rfc3339(new Date(Number(time ?? '0') * 1000)),
  };
}

/**
 * False when git could not find a repository for the folder: no `.git` (a folder, or the file of
 * a worktree or submodule) in it or above it, and no GIT_DIR pointing elsewhere. Asking git costs
 * two processes (tens of milliseconds of a push), which a folder outside any checkout never needs.
 */
async function mayBeInGitWorkTree(folder: string): Promise<boolean> {
  if (process.env.GIT_DIR) return true;
  for (let dir = resolve(folder); ; dir = dirname(dir)) {
    if (
      await stat(join(dir, '.git')).then(
        () => true,
        () => false,
      )
    )
      return true;
    if (dirname(dir) === dir) return false;
  }
}

/** Removes `user:token@` from URLs; scp-style `git@host:path` keeps its (non-secret) user. */
export function stripCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:' || parsed.protocol === 'ssh:' || parsed.protocol === 'git:') {
      if (parsed.protocol === 'ssh:') parsed.password = '';
      else {
        parsed.username = '';
        parsed.password = '';
      }
      return parsed.toString();
    }
    return url;
  } catch {
    return url;
  }
}

export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
