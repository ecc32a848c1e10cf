import type { CommandLine } from './command';
import { repeatedFlag, switchFlag, type FlagItem } from './flag';
import { dockerLoginRegistryFlags } from './registryFlags';

export const mcpFlags = [
  switchFlag('allow-write', 'Offer the write tools too: push, sign, copy (promote) and delete_tag'),
  repeatedFlag(
    'root',
    '<folder>',
    'A folder the tools may read and push from (repeatable; default: the current folder); paths outside every root are refused',
  ),
  dockerLoginRegistryFlags,
] satisfies FlagItem[];

export const mcp: CommandLine<typeof mcpFlags> = {
  name: 'mcp',
  synopsis: '',
  summary: 'Serve the tools above to AI agents over the Model Context Protocol (stdio)',
  description:
    "Serves the registry side of GitOps (list, inspect, diff, validate; with --allow-write push, copy, sign and delete_tag) to AI agents over the Model Context Protocol, on stdin and stdout, until the client closes stdin. Read-only unless --allow-write; a tag moves or goes only when the agent names the digest it points at now. Registry access is the user's own: Docker's config.json and its credential helpers, with the registry options applied to every registry.",
  flags: mcpFlags,
  examples: [
    { about: 'Read-only, over the current folder', line: 'oci-gitops mcp' },
    { about: 'With the write tools, over two folders', line: 'oci-gitops mcp --allow-write --root ./deploy --root ./clusters' },
  ],
};
