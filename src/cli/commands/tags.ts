import { parseReference, formatRepository } from '../../oci';
import type { SemverOptions } from '../../gitops/semver';
import { clientFromOptions } from '../clientFromOptions';
import { line, terminalText, type CliIo } from '../io';
import type { Options } from '../commandLine/flag';
import type { tagsFlags } from '../commandLine/tags';
import { expectPositionals } from '../commandLine/positionals';
import { writeLines } from '../writeLines';
import { UsageError } from '../usage';

type TagsOptions = Options<typeof tagsFlags>;

/**
 * `oci-gitops tags <repository>`: every tag, every page followed. With `--semver`, the tags that
 * satisfy the constraint as the chosen controller reads it, newest first: the first line is the
 * controller's pick. Exit 1 when none does, with the reason on stderr.
 */
export async function tagsCommand(positionals: string[], options: TagsOptions, io: CliIo): Promise<number | void> {
  const [input] = expectPositionals(positionals, ['repository'], 'tags');
  const ref = parseReference(input, { allowDockerHubShortNames: true });
  if (ref.tag || ref.digest) throw new UsageError(`tags takes a repository without a tag or digest, e.g. ${formatRepository(ref)}`);
  const semver = semverOptions(options);
  const client = await clientFromOptions(ref.registry, options, io);
  try {
    const pages = client.repository(ref).tagPages({ pageSize: options['page-size'] });
    if (!semver || options.semver === undefined) {
      await writeLines(io.stdout, pages, terminalText);
      return;
    }
    const all: string[] = [];
    for await (const page of pages) all.push(...page);
    // Loaded here, not with the command: its RE2 engine is most of what a plain listing would load.
    const { resolveSemver } = await import('../../gitops/semver/index.js');
    const resolution = resolveSemver(all, options.semver, semver);
    if (resolution.error) {
      line(io.stderr, `oci-gitops: ${terminalText(resolution.error)}`);
      return 1;
    }
    if (resolution.pinned === 'version') {
      // Argo CD reads a version as a pin: it fetches exactly that, with no listing involved.
      line(io.stdout, terminalText(resolution.winner!));
      line(io.stderr, `oci-gitops: Argo CD reads "${terminalText(options.semver)}" as a version, not a range: it fetches that tag as is`);
      return all.includes(resolution.winner!) ? 0 : 1;
    }
    const matching = resolution.matches.map((m) => m.tag);
    // Flux's Helm OCI resolution takes a tag equal to the constraint text before any range reading.
    const ordered = resolution.pinned === 'exact-tag' ? [resolution.winner!, ...matching.filter((t) => t !== resolution.winner)] : matching;
    if (ordered.length === 0) {
      line(
        io.stderr,
        `oci-gitops: no tag of ${terminalText(input)} satisfies "${terminalText(options.semver)}" (${all.length} tags listed)`,
      );
      return 1;
    }
    await writeLines(io.stdout, lines(ordered), terminalText);
  } finally {
    await client.close();
  }
}

function semverOptions(options: TagsOptions): SemverOptions | undefined {
  if (options.semver === undefined) {
    if (options['semver-filter'] !== undefined || options.argo || options.helm)
      throw new UsageError('--semver-filter, --argo and --helm go with --semver <constraint>');
    return undefined;
  }
  if (options.argo && options['semver-filter'] !== undefined)
    throw new UsageError('--semver-filter is Flux OCIRepository semverFilter; Argo CD has no such field (drop --argo or the filter)');
  if (options.helm && options['semver-filter'] !== undefined)
    throw new UsageError('--semver-filter is an OCIRepository field; a Helm chart version has no filter');
  if (options.argo) return { controller: 'argo', helmTags: options.helm };
  if (options.helm) return { controller: 'flux-helm' };
  return { controller: 'flux-oci', ...(options['semver-filter'] !== undefined ? { filter: options['semver-filter'] } : {}) };
}

async function* lines(tags: string[]): AsyncIterable<string> {
  yield* tags;
}
