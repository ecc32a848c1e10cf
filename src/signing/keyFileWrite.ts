import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, lstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { SigningError } from './errors';

/**
 * Refuses to replace a key file that is a symbolic link (or not a file): writing through a link
 * would put a private key wherever it points, or overwrite that file.
 */
export function refuseKeyFileLinks(paths: string[]): void {
  for (const path of paths) {
    let info;
    try {
      info = lstatSync(path);
    } catch {
      continue;
    }
    if (info.isSymbolicLink())
      throw new SigningError(
        'KEY_INVALID',
        `${path} is a symbolic link; refusing to write a key through it`,
        'Remove the link, or choose another folder',
      );
    if (!info.isFile()) throw new SigningError('KEY_INVALID', `${path} exists and is not a file`, 'Choose another folder');
  }
}

/** Where a key file is written: which platform's protection applies, and how `icacls` is run. */
export interface KeyFileHost {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** Runs icacls with these arguments, throwing when it fails; default the system's icacls.exe. */
  icacls?: (args: string[]) => void;
}

/**
 * Writes a new file beside `path` (created exclusively with its final mode, never following a
 * link) and renames it over `path`: a rename replaces a link planted meanwhile instead of writing
 * through it, and a reader never sees a half-written key.
 *
 * Windows ignores the mode, so a private file (no group or other bits in `mode`) is limited there
 * to the user with an ACL before a byte is written (the ACL moves with the rename). Returns a
 * warning to show when that could not be done, so the user is told the key is not protected.
 */
export function writeKeyFile(path: string, content: string, mode: number, host: KeyFileHost = {}): string | undefined {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), mode);
  try {
    const warning = (mode & 0o077) === 0 ? restrictToUser(temporary, path, host) : undefined;
    writeSync(fd, content);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temporary, path);
    return warning;
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // Already closed.
    }
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * On Windows, `icacls <file> /inheritance:r /grant:r <user>:F`: the inherited entries (the folder's
 * readers) removed and full control granted to the user alone, as OpenSSH for Windows requires of
 * a private key. Elsewhere the file mode already does this.
 */
function restrictToUser(file: string, shownAs: string, host: KeyFileHost): string | undefined {
  if ((host.platform ?? process.platform) !== 'win32') return undefined;
  const env = host.env ?? process.env;
  const user = env.USERDOMAIN && env.USERNAME ? `${env.USERDOMAIN}\\${env.USERNAME}` : env.USERNAME;
  const fix = `restrict it to your account yourself (icacls "${shownAs}" /inheritance:r /grant:r "%USERNAME%:F") or keep it in a private folder`;
  if (!user) return `${shownAs} is readable by whoever can read its folder: USERNAME is not set, so no user-only ACL was set; ${fix}`;
  try {
    (host.icacls ?? runIcacls)([file, '/inheritance:r', '/grant:r', `${user}:F`]);
    return undefined;
  } catch (error) {
    return `${shownAs} is readable by whoever can read its folder: icacls could not set a user-only ACL (${(error as Error).message.split('\n')[0]}); ${fix}`;
  }
}

function runIcacls(args: string[]): void {
  execFileSync('icacls', args, { stdio: 'pipe', timeout: 15_000, windowsHide: true });
}
