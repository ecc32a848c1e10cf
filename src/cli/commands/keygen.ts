import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateCosignKeyPair, refuseKeyFileLinks, writeKeyFile } from '../../signing';
import { line, terminalText, type CliIo } from '../io';
import type { Options } from '../commandLine/flag';
import type { keygenFlags } from '../commandLine/keygen';
import { UsageError } from '../usage';

type KeygenOptions = Options<typeof keygenFlags>;

/**
 * `oci-gitops keygen [<folder>]`: a cosign-compatible key pair, cosign.key (mode 0600) and
 * cosign.pub. Like cosign, the password comes from COSIGN_PASSWORD (set but empty means none);
 * passwords are never taken on the command line. Existing files are replaced only with --force,
 * and never written through a symbolic link.
 */
export async function keygenCommand(positionals: string[], options: KeygenOptions, io: CliIo): Promise<void> {
  if (positionals.length > 1) throw new UsageError(`keygen takes at most one <folder>; got ${positionals.join(' ')}`);
  const folder = resolve(positionals[0] ?? '.');
  const password = io.env.COSIGN_PASSWORD;
  if (password === undefined)
    throw new UsageError('keygen reads the key password from COSIGN_PASSWORD; set it (an empty value means no password)');
  const keyPath = join(folder, 'cosign.key');
  const pubPath = join(folder, 'cosign.pub');
  refuseKeyFileLinks([keyPath, pubPath]);
  for (const path of [keyPath, pubPath]) {
    if (existsSync(path) && !options.force)
      throw new UsageError(
        `${terminalText(path)} already exists; pass --force to replace it (anything signed with the old key will no longer verify with the new cosign.pub)`,
      );
  }
  const pair = await generateCosignKeyPair(password);
  const unprotected = writeKeyFile(keyPath, pair.privateKeyPem, 0o600, { env: io.env });
  writeKeyFile(pubPath, pair.publicKeyPem, 0o644);
  if (unprotected) line(io.stderr, `warning: ${terminalText(unprotected)}`);
  line(io.stdout, `Private key written to ${keyPath}`);
  line(io.stdout, `Public key written to ${pubPath}`);
}
