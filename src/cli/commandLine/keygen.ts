import type { CommandLine } from './command';
import { explained, type FlagItem } from './flag';
import { force } from './sharedFlags';

export const keygenFlags = [
  explained(force, 'Replace an existing cosign.key and cosign.pub (what was signed with the old key no longer verifies)'),
] satisfies FlagItem[];

export const keygen: CommandLine<typeof keygenFlags> = {
  name: 'keygen',
  synopsis: '[<folder>]',
  summary: 'Write a cosign key pair: cosign.key (0600, password from COSIGN_PASSWORD) and cosign.pub',
  description:
    'Writes a cosign-compatible key pair into the folder (default: the current one): cosign.key, mode 0600, encrypted with the password in COSIGN_PASSWORD (set but empty means none), and cosign.pub. Passwords are never taken on the command line; existing files are replaced only with --force, and never written through a symbolic link.',
  flags: keygenFlags,
  examples: [{ about: 'A key pair in ./keys', line: 'COSIGN_PASSWORD="$PASSWORD" oci-gitops keygen ./keys' }],
};
