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

/**
 * Writes a new file beside `path` (created exclusively with its final mode, never following a
 * link) and renames it over `path`: a rename replaces a link planted meanwhile instead of writing
 * through it, and a reader never sees a half-written key.
 */
export function writeKeyFile(path: string, content: string, mode: number): void {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temporary, path);
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
