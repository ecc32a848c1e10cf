import type { CommandLine } from './command';
import { explained, parsedFlag, switchFlag, valueFlag, wholeNumber, type FlagItem } from './flag';
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
  {
    title: 'Whole repository (source and destination are repositories)',
    flags: [
      switchFlag(
        'all-tags',
        'Copy every tag of the source repository (cosign and referrers tags travel with their artifact, with --referrers); exit 2 when a destination tag points elsewhere (drift: left alone without --force)',
      ),
      valueFlag(
        'semver',
        '<constraint>',
        "Copy only the tags this Masterminds constraint picks, read as Flux's ref.semver reads tags (^1.2, >=1.0.0 <2.0.0)",
      ),
      valueFlag(
        'tag-regex',
        '<regex>',
        'Copy only the tags this Go regular expression matches (RE2, unanchored: ^v1[.]); with --semver, its semverFilter',
      ),
      parsedFlag(
        'concurrency',
        '<n>',
        'Tags copied at once, and blob transfers at once over all of them (default 8)',
        wholeNumber('concurrency', 1, 64),
      ),
    ],
  },
  { ...registryFlags, title: 'Registry options (both sides)' },
  fromFlags,
  toFlags,
] satisfies FlagItem[];

export const copy: CommandLine<typeof copyFlags> = {
  name: 'copy',
  synopsis: '<source> <destination>',
  summary: 'Copy an artifact (every platform) by digest to another repository or registry; prints repo@sha256:…',
  description:
    "Copies an artifact, every platform of an index, by digest to another repository or registry, with --referrers its signatures, SBOMs and attestations. Prints what was copied on stderr and the destination's pinned reference on stdout. Tags are set only once everything is copied: exit 1 when anything could not be copied, and then no tag was set.\nA destination without a tag keeps the source's tag; a source given by digest stays untagged.\nWith --all-tags (or --semver, --tag-regex) it copies the tags of a repository to another: blobs and manifests the tags share are copied once, a tag already there is skipped, and a destination tag that points at another digest is drift: reported and left alone (moved with --force). Prints one line per tag and the counts of copied, moved, skipped, drifted and failed tags; each tag is either fully copied or untouched. Exit 0 when every tag is copied or already there, 1 when any failed, 2 when any drifted (as flux-mirror).",
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
    {
      about: 'Mirror every release of a repository with its signatures; run it again to resume, it copies only what is missing',
      line: 'oci-gitops copy staging.example.com/app prod.example.com/app --all-tags --referrers',
    },
    { about: 'Only the 1.x releases', line: "oci-gitops copy staging.example.com/app prod.example.com/app --semver '^1.0' --referrers" },
  ],
  exitCodes:
    '0 success, 1 the operation failed (with --all-tags: a tag failed), 2 usage error, or with --all-tags drift (a destination tag points at another digest, left alone)',
};
