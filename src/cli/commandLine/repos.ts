import type { CommandLine } from './command';
import type { FlagItem } from './flag';
import { registryFlags } from './registryFlags';
import { pageSize } from './sharedFlags';

export const reposFlags = [pageSize, registryFlags] satisfies FlagItem[];

export const repos: CommandLine<typeof reposFlags> = {
  name: 'repos',
  synopsis: '<registry>',
  summary: "List every repository in a registry's catalog, one per line",
  description: "Lists every repository in the registry's catalog (/v2/_catalog), one per line, following every page.",
  flags: reposFlags,
  examples: [
    { about: 'Every repository of a local registry', line: 'oci-gitops repos localhost:5000' },
    { about: 'With a login read from stdin', line: 'echo "$TOKEN" | oci-gitops repos registry.example.com --username ci --password-stdin' },
  ],
};
