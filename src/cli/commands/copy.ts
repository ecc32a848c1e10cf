import { copyArtifact, copyReport, copyTags, type CopyResult } from '../../artifact/copy';
import type { CopyPlan } from '../../artifact/copy/plan';
import { parseReference } from '../../oci';
import { copyClients } from '../copyClients';
import { line, printJson, terminalText as shown, type CliIo } from '../io';
import type { Options } from '../commandLine/flag';
import type { copyFlags } from '../commandLine/copy';
import { expectPositionals } from '../commandLine/positionals';
import { UsageError } from '../usage';
import { formatSize } from '../../text/format';

type CopyOptions = Options<typeof copyFlags>;

/**
 * `oci-gitops copy <source> <destination> [--referrers] [--tag T]… [--force] [--json]`: copies
 * an artifact (every platform of an index) by digest, with `--referrers` everything that refers
 * to it; prints what was copied on stderr and the destination's pinned reference on stdout.
 * Exit 1 when anything could not be copied; then no tag was set.
 */
export async function copyCommand(positionals: string[], options: CopyOptions, io: CliIo): Promise<number> {
  const [sourceInput, destinationInput] = expectPositionals(positionals, ['source-reference', 'destination-reference'], 'copy');
  const source = parseReference(sourceInput);
  const destination = parseReference(destinationInput);
  if (options['all-tags'] || options.semver !== undefined || options['tag-regex'] !== undefined)
    return (await import('./copyRepository.js')).copyRepositoryCommand(source, destination, options, io);
  if (options.concurrency !== undefined) throw new UsageError('--concurrency goes with --all-tags, --semver or --tag-regex');
  if (destination.digest && destination.digest !== source.digest) {
    throw new UsageError(
      'the destination names a digest: a copy keeps the source digest, so give the destination as registry/repository[:tag]',
    );
  }
  const tags = copyTags(source, destination, options.tag);
  const clients = await copyClients(source.registry, destination.registry, options, io);
  try {
    const from = clients.from.repository(source);
    const to = clients.to.repository(destination);
    const { plan, result } = await copyArtifact(from, source.digest ?? source.tag ?? 'latest', to, {
      referrers: options.referrers,
      tags,
      force: options.force,
    });
    if (options.json) printJson(io.stdout, jsonResult(plan, result, sourceInput));
    else printText(io, plan, result);
    if (result.failures.length > 0) {
      if (!options.json) {
        for (const failure of result.failures)
          line(io.stderr, `oci-gitops: could not copy ${shown(failure.what)}: ${shown(failure.message)}`);
        line(
          io.stderr,
          `oci-gitops: ${result.failures.length} item${result.failures.length === 1 ? '' : 's'} not copied, so no tag was set; run the copy again to finish it`,
        );
      }
      return 1;
    }
    return 0;
  } finally {
    await clients.close();
  }
}

function printText(io: CliIo, plan: CopyPlan, result: CopyResult): void {
  const b = result.blobs;
  for (const warning of plan.warnings) line(io.stderr, `warning: ${shown(warning)}`);
  if (result.nothingCopied) {
    line(
      io.stderr,
      `Nothing to copy: the destination already has ${describe(plan)} (${b.skipped} blob${b.skipped === 1 ? '' : 's'} already there)`,
    );
  } else {
    line(io.stderr, `Copied ${describe(plan)}`);
    line(
      io.stderr,
      `  blobs:     ${b.copied} copied (${formatSize(b.bytesCopied)}), ${b.mounted} mounted, ${b.skipped} skipped (already there)`,
    );
    line(io.stderr, `  manifests: ${result.manifests.copied} copied, ${result.manifests.skipped} already there`);
    if (plan.root.attached.length > 0 || result.referrers.copied + result.referrers.skipped > 0) {
      line(io.stderr, `  referrers: ${result.referrers.copied} copied, ${result.referrers.skipped} already there`);
    }
  }
  for (const t of result.cosignTags)
    if (t.action !== 'unchanged') line(io.stderr, `  ${shown(t.tag)}: ${t.action} (${t.layers} layer${t.layers === 1 ? '' : 's'})`);
  for (const t of result.tags) line(io.stderr, `  tag ${shown(t.tag)}: ${t.action === 'moved' ? `moved from ${t.from}` : t.action}`);
  line(io.stdout, result.pinned);
}

function describe(plan: CopyPlan): string {
  const s = plan.summary;
  const parts = [
    `${s.manifests} manifest${s.manifests === 1 ? '' : 's'}`,
    `${s.blobs} blob${s.blobs === 1 ? '' : 's'} (${formatSize(s.bytes)})`,
  ];
  const referrers = Object.entries(s.referrers)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`);
  if (referrers.length > 0) parts.push(`attached: ${referrers.join(', ')}`);
  return parts.join(', ');
}

function jsonResult(plan: CopyPlan, result: CopyResult, source: string) {
  return { source, sourceDigest: plan.root.descriptor.digest, ...copyReport(plan, result), failures: result.failures };
}
