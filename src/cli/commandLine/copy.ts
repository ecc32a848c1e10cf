import type { CommandLine } from './command';
import { explained, switchFlag, type FlagItem } from './flag';
import { registryFlags } from './registryFlags';
import { force, json, tag } from './sharedFlags';
import { fromFlags, toFlags } from './sideFlags';

export const copyFlags = [
  switchFlag(
    'referrers',
    "Also copy what refers to the artifact: referrers (API or sha256-<hex> tag) and cosign's .sig/.att/.sbom tags, at every depth",
  ),
  explained(tag, 'Also tag the copy with this (repeatable); set only once everything is copied'),
  explained(
    force,
    'Move destination tags, and replace a different cosign .sbom (.sig and .att are merged: signatures at the destination are never dropped)',
  ),
  explained(json, 'Print what was copied, skipped and tagged as JSON'),
  { ...registryFlags, title: 'Registry options (both sides)' },
  fromFlags,
  toFlags,
] satisfies FlagItem[];

export const copy: CommandLine<typeof copyFlags> = {
  name: 'copy',
  synopsis: '<source> <destination>',
  summary: 'Copy an artifact (every platform) by digest to another repository or registry; prints repo@sha256:…',
  description:
    "Copies an artifact, every platform of an index, by digest to another repository or registry, with --referrers its signatures, SBOMs and attestations. Prints what was copied on stderr and the destination's pinned reference on stdout. Tags are set only once everything is copied: exit 1 when anything could not be copied, and then no tag was set.\nA destination without a tag keeps the source's tag; a source given by digest stays untagged.",
  flags: copyFlags,
  examples: [
    {
      about: 'Promote a signed release from staging to production, signatures included',
      line: 'oci-gitops copy staging.example.com/app:1.0.0 prod.example.com/app --referrers',
    },
    {
      about: "Each registry with its own login: the source's from stdin, the destination's from a Docker config",
      line: 'echo "$STAGING_TOKEN" | oci-gitops copy staging.example.com/app:1.0.0 prod.example.com/app --from-username ci --from-password-stdin --to-docker-config prod/config.json',
    },
  ],
};
