import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, lstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateCosignKeyPair } from '../../signing';
import { line, terminalText, type CliIo } from '../io';
import type { CommonOptions } from '../options';
import { UsageError } from '../usage';

/**
 * `oci-gitops keygen [<folder>]`: a cosign-compatible key pair, cosign.key (mode 0600) and
 * cosign.pub. Like cosign, the password comes from COSIGN_PASSWORD (set but empty means none);
 * passwords are never taken on the command line.
 */
export async function keygenCommand(positionals: string[], options: CommonOptions, io: CliIo): Promise<void> {
  if (positionals.length > 1) throw new UsageError(`keygen takes at most one <folder>; got ${positionals.join(' ')}`);
  const folder = resolve(positionals[0] ?? '.');
  const password = io.env.COSIGN_PASSWORD;
  if (password === undefined) throw new UsageError('keygen reads the key password from COSIGN_PASSWORD; set it (an empty value means no password)');
  const keyPath = join(folder, 'cosign.key');
  const pubPath = join(folder, 'cosign.pub');
  for (const path of [keyPath, pubPath]) {
    const existing = lstatOrUndefined(path);
    // A link would make the key land wherever it points (another user's file, a shared folder).
    if (existing?.isSymbolicLink()) throw new UsageError(`${terminalText(path)} is a symbolic link; refusing to write a key through it (remove the link, or choose another folder)`);
    if (existing && !existing.isFile()) throw new UsageError(`${terminalText(path)} exists and is not a file`);
    if (existing && !options.force) throw new UsageError(`${terminalText(path)} already exists; pass --force to replace it (anything signed with the old key will no longer verify with the new cosign.pub)`);
  }
  const pair = await generateCosignKeyPair(password);
  writeReplacing(keyPath, pair.privateKeyPem, 0o600);
  writeReplacing(pubPath, pair.publicKeyPem, 0o644);
  line(io.stdout, `Private key written to ${keyPath}`);
  line(io.stdout, `Public key written to ${pubPath}`);
}

function lstatOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Writes a new file beside `path` (created exclusively, with its final mode, never following a
 * link) and renames it over `path`: a rename replaces a link planted meanwhile instead of writing
 * through it, and a reader never sees a half-written key.
 */
function writeReplacing(path: string, content: string, mode: number): void {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
