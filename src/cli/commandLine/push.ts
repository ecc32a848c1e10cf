import { UsageError } from '../usage';
import type { CommandLine } from './command';
import { explained, parsedRepeatedFlag, switchFlag, valueFlag, type FlagItem } from './flag';
import { registryFlags } from './registryFlags';
import { force, format, json, tag } from './sharedFlags';

export const pushFlags = [
  tag,
  explained(
    format,
    'default: one standard tar+gzip layer (Flux and default Argo CD); flux: the layout of `flux push artifact` (Argo CD needs the Flux type allowed); oras: one layer per file, as `oras push` (for oras pull)',
  ),
  valueFlag('source', '<url>', 'org.opencontainers.image.source (default: the git remote, credentials removed)'),
  valueFlag('revision', '<rev>', 'org.opencontainers.image.revision (default: <branch>@sha1:<commit>)'),
  parsedRepeatedFlag(
    'annotation',
    'k=v',
    'Add an annotation (repeatable)',
    (pairs) => {
      const annotations: Record<string, string> = {};
      for (const pair of pairs) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new UsageError(`--annotation takes key=value; got "${pair}"`);
        annotations[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      return annotations;
    },
    { short: 'a' },
  ),
  explained(force, 'Move tags that already point at another digest'),
  switchFlag('resolve-symlinks', 'Pack the targets of symlinks that stay inside the folder'),
  switchFlag(
    'allow-nonportable-names',
    'Push names that are not one file on Windows, macOS and Linux (App.yaml and app.yaml, CON.yaml, a:b, trailing dots or spaces), with a warning',
  ),
  explained(json, 'Print the pinned reference, digest, tags, file count and annotations as JSON'),
  registryFlags,
] satisfies FlagItem[];

export const push: CommandLine<typeof pushFlags> = {
  name: 'push',
  synopsis: '<folder> <reference>',
  summary: 'Push a folder as an artifact Flux and Argo CD consume; prints repo@sha256:…',
  description:
    "Packs the folder's files (leaving out .git/ and what .sourceignore files exclude, as Flux reads them) as an artifact Flux's OCIRepository and Argo CD consume, pushes it, and prints its pinned reference (repo@sha256:…) on stdout. A tag that already points at another digest is moved only with --force.",
  flags: pushFlags,
  examples: [
    { about: 'Push the manifests of a folder as 1.0.0', line: 'oci-gitops push ./deploy ghcr.io/org/app-config:1.0.0' },
    {
      about: 'Also tag it latest, and record where it came from',
      line: 'oci-gitops push ./deploy ghcr.io/org/app-config:1.0.0 -t latest --source https://github.com/org/app --revision "main@sha1:$(git rev-parse HEAD)"',
    },
  ],
};
