import type { CommandLine } from './command';
import { explained, valueFlag, type FlagItem } from './flag';
import { registryFlags } from './registryFlags';
import { json } from './sharedFlags';

export const impactFlags = [
  valueFlag('workspace', '<folder>', 'The GitOps folder whose consumers to check (default: the current folder)'),
  explained(json, 'Print the report as JSON: candidate, consumers (each with pick, acceptance, checks, wouldRefuse), skipped'),
  registryFlags,
] satisfies FlagItem[];

export const impact: CommandLine<typeof impactFlags> = {
  name: 'impact',
  synopsis: '<reference>',
  summary: 'Who in the workspace picks the artifact up, and whether each would accept it; exit 1 when one would refuse it',
  description:
    "Finds every workspace object that pulls the reference's repository (OCIRepository, HelmRelease charts from an OCI HelmRepository, FluxInstance sync, Argo CD Application and ApplicationSet sources, image volumes), says whether each picks the tag (its semver pick before and after, or pinned), and runs the checks its controller would run on the artifact: Flux spec.verify (cosign keys, keyless identities, notation, and the signature format the workspace's Flux version reads), Flux layerSelector, Argo CD's layer rule. A check that needs what the workspace does not hold (a SOPS-encrypted or external Secret) is out of reach: the verdict is unknown, not a refusal. Use it as a CI gate before a promotion: it exits 1 when a consumer that would pick the artifact would refuse it.",
  flags: impactFlags,
  failureExitCode: 2,
  exitCodes: '0 no consumer that picks it would refuse it, 1 one would, 2 error (a usage error or an unreachable registry)',
  examples: [
    { about: 'Before promoting 1.4.0, in the GitOps repository', line: 'oci-gitops impact ghcr.io/org/app-config:1.4.0' },
    { about: 'As a CI gate, reading the report', line: 'oci-gitops impact ghcr.io/org/app-config:prod --workspace ./clusters --json' },
  ],
};
