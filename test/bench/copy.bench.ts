// `node out/test/bench/copy.bench.js`: copy of a 100 MiB artifact (no referrers) from one registry
// to another, against `skopeo copy` of the same artifact between the same registries in the same
// run. Two registries, so neither tool can take the cross-repository mount shortcut; a fresh
// destination per round, so no blob is already there (and skopeo's blob-info cache knows no
// location on it). The ratio is the core's copy (what the editor and the CLI run) against the
// skopeo process, whose start-up is a few milliseconds; the row also shows the whole `oci-gitops
// copy` process, whose start-up is the CLI's (module loading), not the copy's. Prints one row.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { copyArtifact } from '../../src/artifact/copy';
import { OciClient, parseReference } from '../../src/oci';
import { startRegistry } from '../support/registry';
import { pushBigArtifact } from './bigArtifact';

const SIZE = 100 * 1024 * 1024;
const ROUNDS = 5;
const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');

/** Runs a command; resolves with its wall time and whatever it printed on stderr. */
async function timed(command: string, args: string[]): Promise<{ ms: number; stderr: string }> {
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const [code] = (await once(child, 'exit')) as [number];
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}:\n${stderr}`);
  return { ms, stderr };
}

/** Our CLI, reporting its peak resident memory when it exits. */
function ours(source: string, destination: string): Promise<{ ms: number; stderr: string }> {
  const report = "process.on('exit',()=>process.stderr.write('\\nmaxRSS '+process.resourceUsage().maxRSS+'\\n'));";
  return timed(process.execPath, [
    '-e',
    `${report}process.argv.splice(1,0,'oci-gitops');require(${JSON.stringify(CLI)})`,
    'copy',
    source,
    destination,
  ]);
}

function skopeo(source: string, destination: string): Promise<{ ms: number; stderr: string }> {
  return timed('skopeo', [
    '--insecure-policy',
    'copy',
    '--quiet',
    '--preserve-digests',
    '--src-tls-verify=false',
    '--dest-tls-verify=false',
    `docker://${source}`,
    `docker://${destination}`,
  ]);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Medians of `rounds` copies by each contender, taken in turns, with the peak memory growth seen. */
export async function raceCopies(
  rounds = ROUNDS,
): Promise<{ core: number; ours: number; skopeo: number; corePeakRss: number; peakRss: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-copy-'));
  const source = await startRegistry({ auth: 'none' });
  const times = { core: [] as number[], ours: [] as number[], skopeo: [] as number[] };
  let corePeakRss = 0;
  let peakRss = 0;
  try {
    await pushBigArtifact(source.host, dir, SIZE);
    for (let round = 0; round < rounds; round++) {
      const destination = await startRegistry({ auth: 'none' });
      try {
        const runs = [
          async () => {
            const run = await ours(`${source.host}/bench/app:v1`, `${destination.host}/bench/ours:v1`);
            times.ours.push(run.ms);
            peakRss = Math.max(peakRss, Number(/maxRSS (\d+)/.exec(run.stderr)?.[1] ?? 0) / 1024);
          },
          async () => times.skopeo.push((await skopeo(`${source.host}/bench/app:v1`, `${destination.host}/bench/skopeo:v1`)).ms),
          async () => {
            const client = new OciClient();
            const before = process.memoryUsage().rss;
            let peak = before;
            const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
            const started = performance.now();
            try {
              await copyArtifact(
                client.repository(parseReference(`${source.host}/bench/app`)),
                'v1',
                client.repository(parseReference(`${destination.host}/bench/core`)),
                {
                  tags: ['v1'],
                },
              );
              times.core.push(performance.now() - started);
            } finally {
              clearInterval(timer);
              await client.close();
            }
            corePeakRss = Math.max(corePeakRss, (peak - before) / 1048576);
          },
        ];
        // Alternate who goes first, so neither always meets a warmer registry.
        for (const run of round % 2 === 0 ? runs : runs.reverse()) await run();
      } finally {
        await destination.stop();
      }
    }
  } finally {
    await source.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { core: median(times.core), ours: median(times.ours), skopeo: median(times.skopeo), corePeakRss, peakRss };
}

async function main(): Promise<void> {
  const { core: coreMs, ours: oursMs, skopeo: skopeoMs, corePeakRss, peakRss } = await raceCopies();
  console.log(
    `copy 100 MiB registry to registry (median of ${ROUNDS}): oci-gitops ${coreMs.toFixed(0)} ms, skopeo copy ${skopeoMs.toFixed(0)} ms, ratio ${(coreMs / skopeoMs).toFixed(2)}x (limit 1.20x); peak RSS growth ${corePeakRss.toFixed(0)} MiB; whole CLI process ${oursMs.toFixed(0)} ms (${(oursMs / skopeoMs).toFixed(2)}x), peak RSS ${peakRss.toFixed(0)} MiB`,
  );
}

// Run as a script by `npm run bench`; imported by latency.bench for its copy row.
if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
