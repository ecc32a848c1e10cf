import type { CommandLine } from './command';
import { explained, type FlagItem } from './flag';
import { registryFlags } from './registryFlags';
import { json } from './sharedFlags';

export const diffFlags = [explained(json, 'Print the added, removed and changed paths as JSON'), registryFlags] satisfies FlagItem[];

export const diff: CommandLine<typeof diffFlags> = {
  name: 'diff',
  synopsis: '<reference|folder> <reference>',
  summary: 'List added, removed and changed files, with a unified diff per file; exit 0 when equal, 1 when they differ',
  description:
    'Compares the files of two artifacts, or of a local folder and an artifact: lists the added, removed and changed files, then a unified diff for each. The registry options apply to the registry of the second reference. Like diff(1) and `flux diff artifact`, it exits 1 when the contents differ.',
  flags: diffFlags,
  failureExitCode: 2,
  exitCodes: '0 equal, 1 different, 2 error (a usage error or a failed operation)',
  examples: [
    { about: 'What a promotion would change', line: 'oci-gitops diff ghcr.io/org/app-config:1.0.0 ghcr.io/org/app-config:1.1.0' },
    { about: 'What pushing the folder would change', line: 'oci-gitops diff ./deploy ghcr.io/org/app-config:1.0.0' },
  ],
};
