import type { CommandLine } from './command';
import { explained, switchFlag, type FlagItem } from './flag';
import { dockerLoginRegistryFlags } from './registryFlags';
import { format } from './sharedFlags';

export const validateFlags = [
  switchFlag('live', 'Also ask the registries: tags exist, digests match, signatures and layer types'),
  explained(format, 'text (default), json, or sarif (for code scanning)'),
  { ...dockerLoginRegistryFlags, title: 'Registry options (with --live; logins from the Docker config)' },
] satisfies FlagItem[];

export const validate: CommandLine<typeof validateFlags> = {
  name: 'validate',
  synopsis: '<files or folders…>',
  summary: 'Check Flux OCIRepository and Argo CD Application YAML (schema and rules); exit 1 on any error',
  description:
    "Runs the editor's schema and rule checks on the YAML files given and under the folders given (with --live, its registry checks too); exit 1 when any error is found. Helm templates are skipped and counted, files a kustomization names as patches are checked as partial objects, and a file too large to validate that may hold Flux or Argo CD kinds is an error. Findings go to stdout, the summary to stderr.",
  flags: validateFlags,
  examples: [
    { about: 'Every YAML file under ./clusters', line: 'oci-gitops validate ./clusters' },
    {
      about: 'For code scanning, with the registries asked',
      line: 'oci-gitops validate --live --format sarif ./clusters > findings.sarif',
    },
  ],
};
