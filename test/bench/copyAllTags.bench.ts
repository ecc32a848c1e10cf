// The mirror row of `npm run bench` (issue 24): `oci-gitops copy --all-tags --referrers` of 40
// signed releases from one Distribution to another, each registry behind a proxy that holds every
// request 50 ms (a registry across a network), against `skopeo sync --all` of the same 40 tags
// through the same proxies in the same run. skopeo copies no referrers, so it is given the release
// tags only (a sync YAML with images-by-tag-regex) and moves less than we do. A fresh destination
// registry per round, and a fresh HOME for skopeo (its blob-info cache), so neither tool finds
// anything already there. `node out/test/bench/copyAllTags.bench.js` prints the row alone.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OciClient, parseReference } from '../../src/oci';
import { pushSignedReleases } from '../integration/releaseFixtures';
import { LatencyProxy, roundsOf, type ProxiedRequest } from '../support/latencyProxy';
import { startRegistry } from '../support/registry';
import { benchNode, median, printTable, type Row } from './measure';

const TAGS = 40;
const DELAY_MS = 50;
const ROUNDS = 3;
const root = join(__dirname, '..', '..', '..');

function cliArgs(): string[] {
  const bundle = join(root, 'dist', 'cli.js');
  if (existsSync(bundle)) return [bundle];
  const main = join(__dirname, '..', '..', 'src', 'cli', 'main.js');
  return ['-e', `process.argv.splice(1,0,'oci-gitops');require(${JSON.stringify(main)})`];
}

interface Run {
  ms: number;
  requests: number;
  rounds: number;
}

/** Runs a command to its end (asynchronously: the proxies serve it from this process) and counts what went through them. */
async function timed(argv: string[], env: NodeJS.ProcessEnv, proxies: LatencyProxy[]): Promise<Run> {
  for (const proxy of proxies) proxy.reset();
  const started = performance.now();
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${argv.join(' ')} exited with ${code}: ${stderr.slice(0, 3000)}`);
  const requests: ProxiedRequest[] = proxies.flatMap((p) => p.requests);
  return { ms, requests: requests.length, rounds: roundsOf(requests).length };
}

export async function copyAllTagsRows(): Promise<Row[]> {
  const source = await startRegistry({ auth: 'none' });
  const scratch = mkdtempSync(join(tmpdir(), 'bench-all-tags-'));
  const sourceProxy = await new LatencyProxy(source.host, { delayMs: DELAY_MS }).start();
  const ours: Run[] = [];
  const skopeo: Run[] = [];
  try {
    const client = new OciClient();
    const versions = Array.from({ length: TAGS }, (_, i) => `1.${Math.floor(i / 10)}.${i % 10}`);
    await pushSignedReleases(
      client.repository(parseReference(`${source.host}/bench/app`)),
      versions,
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
    );
    await client.close();
    const syncYaml = join(scratch, 'sync.yaml');
    writeFileSync(syncYaml, `${sourceProxy.host}:\n  tls-verify: false\n  images-by-tag-regex:\n    bench/app: '^1\\.'\n`);

    for (let round = 0; round < ROUNDS; round++) {
      const destination = await startRegistry({ auth: 'none' });
      const destinationProxy = await new LatencyProxy(destination.host, { delayMs: DELAY_MS }).start();
      const home = mkdtempSync(join(scratch, 'home-'));
      try {
        const runs = [
          async () =>
            ours.push(
              await timed(
                [
                  benchNode(),
                  ...cliArgs(),
                  'copy',
                  `${sourceProxy.host}/bench/app`,
                  `${destinationProxy.host}/ours/app`,
                  '--all-tags',
                  '--referrers',
                ],
                { PATH: process.env.PATH, HOME: home },
                [sourceProxy, destinationProxy],
              ),
            ),
          async () =>
            skopeo.push(
              await timed(
                [
                  'skopeo',
                  '--insecure-policy',
                  'sync',
                  '--all',
                  '--src',
                  'yaml',
                  '--dest',
                  'docker',
                  '--dest-tls-verify=false',
                  syncYaml,
                  `${destinationProxy.host}/skopeo`,
                ],
                { PATH: process.env.PATH, HOME: home },
                [sourceProxy, destinationProxy],
              ),
            ),
        ];
        // Alternate who goes first, so neither always meets a warmer source.
        for (const run of round % 2 === 0 ? runs : runs.reverse()) await run();
      } finally {
        await destinationProxy.stop();
        await destination.stop();
      }
    }
  } finally {
    await sourceProxy.stop();
    await source.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  const oursMs = median(ours.map((r) => r.ms));
  const skopeoMs = median(skopeo.map((r) => r.ms));
  const show = (runs: Run[]) => `${median(runs.map((r) => r.rounds))} dependent rounds, ${median(runs.map((r) => r.requests))} requests`;
  return [
    {
      measure: `copy --all-tags --referrers, ${TAGS} signed tags, ${DELAY_MS} ms/request`,
      ours: oursMs,
      peerName: 'skopeo sync --all',
      peer: skopeoMs,
      target: '≤ 0.5× skopeo sync (no referrers)',
      met: oursMs <= 0.5 * skopeoMs,
      note: `median of ${ROUNDS}; ours ${show(ours)} (signatures and bundles included); skopeo ${show(skopeo)} (release tags only)`,
    },
  ];
}

if (require.main === module) {
  copyAllTagsRows()
    .then((rows) => printTable(`copy --all-tags through a ${DELAY_MS} ms proxy (${new Date().toISOString()})`, rows))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
