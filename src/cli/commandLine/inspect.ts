import type { CommandLine } from './command';
import { explained, type FlagItem } from './flag';
import { registryFlags } from './registryFlags';
import { json } from './sharedFlags';

export const inspectFlags = [
  explained(json, 'Print the manifest, its verified digest, kind, facts and referrers as JSON'),
  registryFlags,
] satisfies FlagItem[];

export const inspect: CommandLine<typeof inspectFlags> = {
  name: 'inspect',
  synopsis: '<reference>',
  summary: "Show an artifact's kind and facts, verified digest, media types, annotations, layers and referrers",
  description:
    "Shows what an artifact is: its kind and facts (a chart's name and version, a bundle's tasks), its digest verified against the manifest, media types, annotations, layers or an index's platforms, and what refers to it (found through the referrers API, the referrers fallback tag or cosign's tags).",
  flags: inspectFlags,
  examples: [
    { about: 'An artifact by tag', line: 'oci-gitops inspect ghcr.io/org/app:1.0.0' },
    { about: 'Its digest, for a pinned reference in a script', line: 'oci-gitops inspect ghcr.io/org/app:1.0.0 --json | jq -r .pinned' },
  ],
};
