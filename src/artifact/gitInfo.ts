import { execFile } from 'node:child_process';
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

async function git(cwd: string, ...args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['-C', cwd, ...args], { timeout: 10_000 });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/** What the folder's git checkout says about it; undefined when it is not in a git work tree. */
export async function readGitInfo(folder: string): Promise<GitInfo | undefined> {
  const commit = await git(folder, 'rev-parse', 'HEAD');
  if (!commit || !/^[0-9a-f]{40}$/.test(commit)) return undefined;
  let ref = await git(folder, 'symbolic-ref', '--short', '-q', 'HEAD');
  if (!ref) ref = (await git(folder, 'describe', '--tags', '--exact-match', 'HEAD')) ?? 'HEAD';
  const status = await git(folder, 'status', '--porcelain', '--untracked-files=normal', '--', '.');
  const time = await git(folder, 'log', '-1', '--format=%ct', 'HEAD');
  const remoteName = (await git(folder, 'config', '--get', `branch.${ref}.remote`)) ?? 'origin';
  const remote = (await git(folder, 'remote', 'get-url', remoteName)) ?? (await git(folder, 'remote', 'get-url', 'origin'));
  return {
    source: remote ? stripCredentials(remote) : undefined,
    revision: `${ref}@sha1:${commit}`,
    commit,
    clean: status === '',
    commitTime: rfc3339(new Date(Number(time ?? '0') * 1000)),
  };
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
