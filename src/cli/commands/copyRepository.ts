import {
  executeRepositoryCopy,
  planRepositoryCopy,
  releaseTags,
  repositoryCopyExitCode,
  tagOutcomeCounts,
  tagResultLines,
  type RepositoryCopyPlan,
  type RepositoryCopyResult,
} from '../../artifact/copy';
import { selectTags } from '../../gitops/semver';
import { formatRepository, type Reference } from '../../oci';
import { formatSize } from '../../text/format';
import { copyClients } from '../copyClients';
import { line, printJson, terminalText as shown, type CliIo } from '../io';
import type { Options } from '../commandLine/flag';
import type { copyFlags } from '../commandLine/copy';
import { UsageError } from '../usage';

type CopyOptions = Options<typeof copyFlags>;

/**
 * `oci-gitops copy <repository> <repository> --all-tags|--semver C|--tag-regex R`: lists the
 * source's tags (every page), picks the selected ones, reads them all and where each points at the
 * destination, then copies them, one line per tag. Exit 1 when any tag failed, else 2 when any
 * drifted, as flux-mirror sync does.
 */
export async function copyRepositoryCommand(source: Reference, destination: Reference, options: CopyOptions, io: CliIo): Promise<number> {
  if (source.tag || source.digest || destination.tag || destination.digest)
    throw new UsageError(
      `--all-tags, --semver and --tag-regex copy the tags of a repository: give both as registry/repository, e.g. ${formatRepository(source)} ${formatRepository(destination)}`,
    );
  if (options.tag.length > 0) throw new UsageError('--tag names one artifact; a repository copy keeps each source tag');
  if (formatRepository(source) === formatRepository(destination)) throw new UsageError('the source and destination are one repository');
  const clients = await copyClients(source.registry, destination.registry, options, io);
  try {
    const from = clients.from.repository(source);
    const to = clients.to.repository(destination);
    const listed: string[] = [];
    for await (const tag of from.tags()) listed.push(tag);
    const selection = selectTags(releaseTags(listed), { semver: options.semver, tagRegex: options['tag-regex'] });
    if (selection.error) throw new UsageError(selection.error);
    if (selection.tags.length === 0) {
      line(
        io.stderr,
        `oci-gitops: no tag of ${shown(formatRepository(source))} is selected (${listed.length} tags listed); nothing to copy`,
      );
      return 1;
    }
    const concurrency = options.concurrency ?? 8;
    const plan = await planRepositoryCopy(from, to, selection.tags, { referrers: options.referrers, concurrency, listedTags: listed });
    const result = await executeRepositoryCopy(plan, { force: options.force, concurrency });
    if (options.json) printJson(io.stdout, jsonResult(plan, result));
    else printText(io, plan, result);
    return repositoryCopyExitCode(result);
  } finally {
    await clients.close();
  }
}

function printText(io: CliIo, plan: RepositoryCopyPlan, result: RepositoryCopyResult): void {
  for (const warning of plan.warnings) line(io.stderr, `warning: ${shown(warning)}`);
  for (const text of tagResultLines(result)) line(io.stderr, `  ${shown(text)}`);
  for (const t of result.tags)
    if (t.outcome !== 'failed' && t.outcome !== 'drifted' && t.digest)
      line(io.stdout, `${formatRepository(plan.to)}:${shown(t.tag)}@${t.digest}`);
  line(io.stderr, `${formatRepository(plan.from)} → ${formatRepository(plan.to)}: ${tagOutcomeCounts(result.counts)}`);
  const b = result.blobs;
  line(
    io.stderr,
    `  blobs: ${b.copied} copied (${formatSize(b.bytesCopied)}), ${b.mounted} mounted, ${b.skipped} skipped; manifests: ${result.manifests.copied} copied, ${result.manifests.skipped} skipped; referrers: ${result.referrers.copied} copied, ${result.referrers.skipped} skipped`,
  );
  if (result.counts.drifted > 0)
    line(
      io.stderr,
      `oci-gitops: ${result.counts.drifted} drifted tag${result.counts.drifted === 1 ? '' : 's'} left alone: --force moves them`,
    );
  if (result.counts.failed > 0)
    line(
      io.stderr,
      `oci-gitops: ${result.counts.failed} tag${result.counts.failed === 1 ? '' : 's'} not copied and untouched; run the copy again to finish`,
    );
}

function jsonResult(plan: RepositoryCopyPlan, result: RepositoryCopyResult) {
  return {
    source: formatRepository(plan.from),
    destination: formatRepository(plan.to),
    tags: result.tags,
    counts: result.counts,
    blobs: result.blobs,
    manifests: result.manifests,
    referrers: result.referrers,
    warnings: plan.warnings,
  };
}
