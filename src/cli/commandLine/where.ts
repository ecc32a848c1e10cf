import type { CommandLine } from './command';
import { explained, parsedFlag, repeatedFlag, valueFlag, wholeNumber, type FlagItem } from './flag';
import { registryFlags } from './registryFlags';
import { json } from './sharedFlags';

/** Exit code when the answer is printed but one or more contexts could not be read. */
export const SOME_CONTEXTS_UNREAD = 3;

export const whereFlags = [
  repeatedFlag('context', '<name>', 'Read only this kubeconfig context (repeatable; default: every context)'),
  valueFlag(
    'kubeconfig',
    '<file>',
    'The kubeconfig to read, or a list of them as KUBECONFIG spells it (default: $KUBECONFIG, else ~/.kube/config)',
  ),
  parsedFlag(
    'cluster-timeout',
    '<seconds>',
    'Longest a context may take, credentials included (default 10); a slower one is reported and the others are still listed',
    wholeNumber('cluster-timeout', 1, 600, 'a whole number of seconds'),
  ),
  explained(json, 'Print every consumer and every context read as one JSON document'),
  registryFlags,
] satisfies FlagItem[];

export const where: CommandLine<typeof whereFlags> = {
  name: 'where',
  synopsis: '<reference|registry/repository>',
  summary: 'Where a repository, tag or digest runs: every Flux and Argo CD consumer in every kubeconfig context',
  description:
    'Reads every context of the kubeconfig (read-only, each within its own deadline) for the Flux OCIRepositories (with the Kustomizations and HelmReleases that apply them), OCI HelmRepository charts and Argo CD Applications whose source is the repository, and prints each with the revision it runs, its Ready/health and verification, and when it last reconciled. Each is compared with the registry: `current` when it runs the digest asked about (with a tag or digest) or what its own tag is now, `behind` when its tag has moved on since, `other` when it runs different content than the tag or digest asked about, `pinned` when it asks for a digest, `unknown` when it has run nothing yet. A context that cannot be read, and a namespace the user may not list, are reported on stderr; the others are still listed.',
  flags: whereFlags,
  exitCodes: `0 every context read, 1 a failure, 2 a usage error, ${SOME_CONTEXTS_UNREAD} one or more contexts could not be read (the others are listed)`,
  examples: [
    { about: 'Every cluster that runs any tag of the repository', line: 'oci-gitops where ghcr.io/org/app-config' },
    {
      about: 'Has 1.4.0 landed in prod and staging?',
      line: 'oci-gitops where ghcr.io/org/app-config:1.4.0 --context prod-eu --context staging',
    },
    {
      about: 'The same, for a script',
      line: 'oci-gitops where ghcr.io/org/app-config:1.4.0 --json | jq \'.placements[] | select(.standing != "current")\'',
    },
  ],
};
