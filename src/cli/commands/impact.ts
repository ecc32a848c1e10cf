import { isAbsolute, relative } from 'node:path';
import { wouldRefuse, type Check, type ConsumerImpact, type ImpactReport } from '../../gitops/impact/contract';
import { pickText } from '../../gitops/impact/describeImpact';
import { impactOf } from '../../gitops/impact/impact';
import { formatReference, parseReference } from '../../oci';
import { shortDigest } from '../../text/format';
import { clientFromOptions } from '../clientFromOptions';
import type { Options } from '../commandLine/flag';
import type { impactFlags } from '../commandLine/impact';
import { expectPositionals } from '../commandLine/positionals';
import { line, printJson, terminalText, type CliIo } from '../io';

type ImpactOptions = Options<typeof impactFlags>;

/**
 * `oci-gitops impact <reference> [--workspace <folder>] [--json]`: the workspace's consumers of the
 * reference's repository, each with its pick and verdict; exit 1 when one that picks it would refuse it.
 */
export async function impactCommand(positionals: string[], options: ImpactOptions, io: CliIo): Promise<number> {
  const [text] = expectPositionals(positionals, ['reference'], 'impact');
  const candidate = parseReference(text);
  const folder = options.workspace ?? '.';
  const client = await clientFromOptions(candidate.registry, options, io);
  try {
    const report = await impactOf({
      candidate,
      files: [folder],
      registry: { repository: (registry, repository) => client.repository({ registry, repository }) },
    });
    const refused = report.consumers.some(wouldRefuse);
    if (options.json) printJson(io.stdout, { ...report, consumers: report.consumers.map((c) => ({ ...c, wouldRefuse: wouldRefuse(c) })) });
    else print(report, folder, io);
    return refused ? 1 : 0;
  } finally {
    await client.close();
  }
}

function print(report: ImpactReport, folder: string, io: CliIo): void {
  const { digest: full, ...named } = report.candidate;
  const digest = full && named.tag ? ` (${shortDigest(full)})` : '';
  const count = report.consumers.length;
  line(
    io.stdout,
    `${terminalText(formatReference(report.candidate))}${digest}: ${count === 0 ? 'no consumer' : `${count} consumer${count === 1 ? '' : 's'}`} in ${folder}`,
  );
  for (const impact of report.consumers) printConsumer(impact, io);
  for (const skipped of report.skipped) line(io.stderr, `Skipped ${shown(skipped.file)}: ${skipped.reason}`);
  const refusing = report.consumers.filter(wouldRefuse).length;
  if (refusing > 0) line(io.stderr, `${refusing} consumer${refusing === 1 ? '' : 's'} would pick it up and refuse it`);
}

function printConsumer(impact: ConsumerImpact, io: CliIo): void {
  const { consumer } = impact;
  const name = consumer.namespace ? `${consumer.namespace}/${consumer.name}` : consumer.name;
  line(io.stdout, '');
  line(io.stdout, `${consumer.kind} ${terminalText(name)}  ${where(consumer.declaredAt)}`);
  line(io.stdout, `  pick:    ${terminalText(pickText(impact.pick))}`);
  line(
    io.stdout,
    `  verdict: ${wouldRefuse(impact) ? 'REFUSES' : impact.acceptance}${impact.pick.outcome === 'picks' ? '' : ' (if it picked it)'}`,
  );
  for (const check of impact.checks)
    line(
      io.stdout,
      `    ${mark(check)} ${check.check}: ${terminalText(check.detail)}${check.declaredAt ? ` (${where(check.declaredAt)})` : ''}`,
    );
}

function mark(check: Check): string {
  return { pass: 'ok  ', fail: 'FAIL', warn: 'warn', 'out-of-reach': '??  ' }[check.outcome];
}

function where(at: { file: string; line: number }): string {
  return `${shown(at.file)}:${at.line}`;
}

/** A workspace path relative to the current folder when it is below it, else as given. */
function shown(file: string): string {
  const path = relative('.', file);
  return path === '' || path.startsWith('..') || isAbsolute(path) ? file : path;
}
