import { ClusterReader, registryTagResolver, whereRuns, type Placement, type WhereAnswer } from '../../clusters';
import { formatReference, parseReference } from '../../oci';
import { clientFromOptions } from '../clientFromOptions';
import { line, printJson, terminalText as shown, type CliIo } from '../io';
import type { Options } from '../commandLine/flag';
import { SOME_CONTEXTS_UNREAD, type whereFlags } from '../commandLine/where';
import { expectPositionals } from '../commandLine/positionals';

type WhereOptions = Options<typeof whereFlags>;

/** `oci-gitops where <reference|registry/repository>`: every consumer in every context, against the registry. */
export async function whereCommand(positionals: string[], options: WhereOptions, io: CliIo): Promise<number | void> {
  const [input] = expectPositionals(positionals, ['reference|registry/repository'], 'where');
  const ref = parseReference(input, { allowDockerHubShortNames: true });
  const reader = new ClusterReader({
    ...(options.kubeconfig ? { file: options.kubeconfig } : {}),
    env: io.env,
    ...(options['cluster-timeout'] ? { timeoutMs: options['cluster-timeout'] * 1000 } : {}),
  });
  const readings = await reader.read(options.context.length > 0 ? options.context : undefined);
  const client = await clientFromOptions(ref.registry, options, io);
  let answer: WhereAnswer;
  try {
    answer = await whereRuns(readings, ref, registryTagResolver(client.repository(ref)));
  } finally {
    await client.close();
  }
  if (options.json) printJson(io.stdout, whereJson(formatReference(ref), answer));
  else printAnswer(io, formatReference(ref), answer);
  printContextProblems(io, answer);
  return answer.contexts.some((c) => c.error) ? SOME_CONTEXTS_UNREAD : 0;
}

function whereJson(reference: string, answer: WhereAnswer): Record<string, unknown> {
  return {
    reference,
    registryDigest: answer.targetDigest ?? null,
    placements: answer.placements,
    contexts: answer.contexts.map((c) => ({ ...c, read: !c.error })),
  };
}

function printAnswer(io: CliIo, reference: string, answer: WhereAnswer): void {
  if (answer.targetDigest) line(io.stdout, `${shown(reference)} is ${answer.targetDigest} in the registry`);
  if (answer.placements.length === 0) {
    const read = answer.contexts.filter((c) => !c.error).map((c) => c.context);
    line(io.stdout, `Nothing in ${read.length > 0 ? read.map(shown).join(', ') : 'any context'} uses ${shown(reference)}`);
    return;
  }
  const rows = answer.placements.map((p) => [
    p.context,
    `${p.kind} ${p.namespace}/${p.name}${p.volume ? ` volume ${p.volume}` : ''}`,
    // A Pod's image volume runs the reference as written when the kubelet reports no digest.
    (p.volume ? (p.revision ?? p.ref) : p.revision) ?? '-',
    standing(p),
    status(p),
    p.lastReconciled ?? '',
  ]);
  const header = ['CONTEXT', 'SOURCE', 'REVISION', 'STANDING', 'STATUS', 'LAST RECONCILED'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => shown(r[i]).length)));
  const format = (cells: string[]) =>
    cells
      .map((c, i) => shown(c).padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  line(io.stdout, format(header));
  answer.placements.forEach((p, i) => {
    line(io.stdout, format(rows[i]));
    for (const w of p.workloads)
      line(
        io.stdout,
        `    ${shown(`${w.kind} ${w.namespace}/${w.name}`)}  ${shown(w.revision ?? '-')}${w.ready ? `  Ready=${w.ready.status}` : ''}`,
      );
  });
}

function standing(p: Placement): string {
  if (p.standing === 'behind' || p.standing === 'other') return `${p.standing} (registry: ${p.registryDigest})`;
  return p.note ? `${p.standing} (${p.note})` : p.standing;
}

function status(p: Placement): string {
  const parts: string[] = [];
  if (p.ready) parts.push(`Ready=${p.ready.status}`);
  if (p.verified) parts.push(`Verified=${p.verified.status}`);
  if (p.health) parts.push(`Health=${p.health}`);
  if (p.sync) parts.push(`Sync=${p.sync}`);
  return parts.join(' ');
}

function printContextProblems(io: CliIo, answer: WhereAnswer): void {
  for (const c of answer.contexts) {
    if (c.error) line(io.stderr, `oci-gitops: context ${shown(c.context)} not read: ${shown(c.error)}`);
    for (const f of c.forbidden)
      line(
        io.stderr,
        `oci-gitops: context ${shown(c.context)}: namespace ${shown(f.namespace)} is forbidden to this user (${f.kinds.join(', ')} not listed)`,
      );
  }
}
