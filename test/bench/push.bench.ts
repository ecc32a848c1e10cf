// `npm run bench` (push-library part): pushFolder in-process on two folders, a fleet of 2,000 YAML
// files and 200 MiB of larger files, against the floor timed in the same run on the same registry:
// tar | gzip -6 -n | curl (test/bench/pushFloor.sh). Also how far memory grows while pushing:
// the layer is streamed, so 200 MiB of files must not mean 200 MiB of memory.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pushFolder } from '../../src/artifact/push';
import { OciClient, parseReference } from '../../src/oci';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { fleetFolder } from './folders';
import { median } from './measure';

const fixed = {
  source: 'https://example.com/bench.git',
  revision: 'main@sha1:0000000000000000000000000000000000000000',
  created: '2026-01-01T00:00:00Z',
};
const floorScript = join(__dirname, '..', '..', '..', 'test', 'bench', 'pushFloor.sh');
const ROUNDS = 3;

/** 200 files of 1 MiB: pseudo-random base64 text, which gzip shrinks by about a quarter. */
function bigFolder(megabytes: number): string {
  const root = mkdtempSync(join(tmpdir(), 'bench-big-'));
  let x = 12345;
  for (let f = 0; f < megabytes; f++) {
    const raw = Buffer.alloc(768 * 1024);
    for (let i = 0; i < raw.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      raw[i] = x & 0xff;
    }
    writeFileSync(join(root, `blob-${f}.txt`), raw.toString('base64'));
  }
  return root;
}

async function measure<T>(work: () => Promise<T>): Promise<{ ms: number; peakRssGrowthMb: number; value: T }> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const started = performance.now();
  const value = await work();
  const ms = performance.now() - started;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, peakRssGrowthMb: (peak - base) / 1024 / 1024, value };
}

function floor(registry: RunningRegistry, repository: string, folder: string, scratch: string): number {
  const started = performance.now();
  const result = spawnSync('bash', [floorScript, registry.url, repository, folder, scratch], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`the floor push failed: ${result.stderr.toString()}`);
  return performance.now() - started;
}

async function bench(name: string, folder: string, registry: RunningRegistry, client: OciClient, scratch: string): Promise<void> {
  const ours: number[] = [];
  const floors: number[] = [];
  let growth = 0;
  let files = 0;
  for (let round = 0; round < ROUNDS; round++) {
    floors.push(floor(registry, `floor/${name}-${round}`, folder, scratch));
    const push = await measure(() => pushFolder(client, folder, parseReference(`${registry.host}/push/${name}-${round}:1.0.0`), fixed));
    ours.push(push.ms);
    growth = Math.max(growth, push.peakRssGrowthMb);
    files = push.value.files;
  }
  const [o, f] = [median(ours), median(floors)];
  console.log(
    `${name}: ${files} files, pushFolder ${o.toFixed(0)} ms, tar|gzip -6 -n|curl ${f.toFixed(0)} ms, ratio ${(o / f).toFixed(2)}×, peak memory growth ${growth.toFixed(1)} MiB (median of ${ROUNDS})`,
  );
}

async function main(): Promise<void> {
  const registry = await startRegistry({ auth: 'none' });
  const client = new OciClient();
  const scratch = mkdtempSync(join(tmpdir(), 'bench-push-'));
  const folders: string[] = [];
  try {
    await client.registry(registry.host).ping();
    const fleet = fleetFolder(2000);
    folders.push(fleet.path);
    await bench('fleet-2000', fleet.path, registry, client, scratch);
    folders.push(bigFolder(200));
    await bench('big-200mb', folders[1], registry, client, scratch);
  } finally {
    await client.close();
    await registry.stop();
    for (const folder of [...folders, scratch]) rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
