import type { CommandLine } from './command';
import type { FlagItem } from './flag';
import { registryFlags } from './registryFlags';

export const pullFlags = [registryFlags] satisfies FlagItem[];

export const pull: CommandLine<typeof pullFlags> = {
  name: 'pull',
  synopsis: '<reference> <folder>',
  summary: "Unpack an artifact's files into a new or empty folder",
  description:
    "Unpacks the artifact's files into a new or empty folder, verified first and all or nothing. Anything it leaves out is named on stderr with the reason.",
  flags: pullFlags,
  examples: [{ about: 'What a tag holds, into ./out', line: 'oci-gitops pull ghcr.io/org/app-config:1.0.0 ./out' }],
};
