import type { CommandLine } from './command';
import { switchFlag, valueFlag, type FlagItem } from './flag';
import { registryFlags } from './registryFlags';
import { pageSize } from './sharedFlags';

export const tagsFlags = [
  valueFlag(
    'semver',
    '<constraint>',
    'Only the versions that satisfy this Masterminds constraint, newest first, as in Flux ref.semver or Argo CD targetRevision (^1.2, ~1.2.3, >=1.0.0 <2.0.0, 1.x, 1.0 - 2.0, >=1.0.0-0 for pre-releases)',
  ),
  valueFlag('semver-filter', '<regex>', 'Flux semverFilter: only tags this Go regular expression matches count'),
  switchFlag('argo', "Argo CD's reading: any version NewVersion accepts (1.2, v1) is a pin, tags like v1.2 and 1.02.3 count as versions"),
  switchFlag(
    'helm',
    "With --argo: a Helm chart, whose tags spell + as _; without --argo: Flux's HelmChart from an OCI HelmRepository (strict versions, an exact tag wins)",
  ),
  pageSize,
  registryFlags,
] satisfies FlagItem[];

export const tags: CommandLine<typeof tagsFlags> = {
  name: 'tags',
  synopsis: '<repository>',
  summary: 'List every tag of a repository; with --semver the versions a constraint picks, newest first',
  description:
    'Lists every tag of the repository, one per line, following every page. With --semver, only the versions that satisfy the constraint as the controller reads it, newest first: the first line is what Flux picks (with --argo, what Argo CD picks). Exit 1 when no tag satisfies it, with the reason on stderr.',
  flags: tagsFlags,
  examples: [
    { about: 'Every tag', line: 'oci-gitops tags ghcr.io/org/app' },
    { about: "The tag Flux's OCIRepository picks for ref.semver: ^1.2", line: "oci-gitops tags ghcr.io/org/app --semver '^1.2' | head -1" },
    {
      about: 'The chart version Argo CD picks for targetRevision: 1.x',
      line: "oci-gitops tags ghcr.io/org/charts/app --semver '1.x' --argo --helm",
    },
  ],
};
