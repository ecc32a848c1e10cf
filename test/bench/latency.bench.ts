// The latency rows of `npm run bench` (issue 24): a real Distribution behind a loopback proxy that
// holds every request for DELAY_MS, as a registry that far away would. Each row gives the time, the
// number of dependent rounds the proxy saw (requests that had to wait for an earlier answer), and
// the peer or floor measured in the same run. The copy row runs on loopback without the delay:
// there a copy is bound by bandwidth and CPU, which is what comparing it with skopeo measures;
// behind the delay both tools spend the same handful of round trips on a 100 MiB blob.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pullToFolder } from '../../src/artifact/pull';
import { SummaryQueue, LIST_SUMMARIES } from '../../src/artifact/summaryQueue';
import { OciClient, parseReference } from '../../src/oci';
import { legacyCosignSignature } from '../sandbox/seed';
import { pushArtifact } from '../integration/fixtures';
import { pushHelmChart } from '../support/helmChart';
import { LatencyProxy } from '../support/latencyProxy';
import { manyTagNames, seedManyTags } from '../support/manyTags';
import { startRegistry } from '../support/registry';
import { raceCopies } from './copy.bench';
import { benchNode, median, timeOnce, type Row } from './measure';

const DELAY_MS = 50;
const cli = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

/** Median time of `runs` runs of `run`, and the dependent rounds of its last run. */
async function measure(
  proxy: LatencyProxy | undefined,
  runs: number,
  run: () => Promise<unknown> | unknown,
): Promise<{ ms: number; rounds: number }> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    proxy?.reset();
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return { ms: median(times), rounds: proxy?.dependentRounds() ?? 0 };
}

/** The same for a program of its own; spawned, not run synchronously, since the proxy lives in this process. */
function measureProcess(proxy: LatencyProxy, runs: number, argv: string[]): Promise<{ ms: number; rounds: number }> {
  return measure(proxy, runs, async () => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const [code] = (await once(child, 'exit')) as [number];
    if (code !== 0) throw new Error(`${argv.join(' ')} exited with ${code}: ${stderr.slice(0, 2000)}`);
  });
}

export async function latencyRows(): Promise<Row[]> {
  const node = benchNode();
  const registry = await startRegistry({ auth: 'none' });
  const proxy = await new LatencyProxy(registry.host, { delayMs: DELAY_MS }).start();
  const scratch = mkdtempSync(join(tmpdir(), 'bench-latency-'));
  const client = new OciClient();
  const rows: Row[] = [];
  try {
    // A Helm chart (its kind reads the config) with an SBOM in the fallback index and a cosign .sig tag.
    const charts = client.repository(parseReference(`${registry.host}/bench/chart`));
    const chart = await pushHelmChart(charts, { name: 'podinfo', version: '6.5.0' });
    await pushArtifact(charts, undefined, { artifactType: 'application/spdx+json', files: { 'sbom.spdx.json': '{}' }, subject: chart });
    await legacyCosignSignature(client, `${registry.host}/bench/chart`, chart.digest);
    const files = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`part-${i}.yaml`, `part: ${i}\n${'x'.repeat(2000)}\n`]));
    await pushArtifact(client.repository(parseReference(`${registry.host}/bench/twenty`)), 'v1', { files });
    await seedManyTags(client, registry, 'bench/hundred', manyTagNames(100));

    const inspect = await measureProcess(proxy, 5, [node, cli, 'inspect', `${proxy.host}/bench/chart:6.5.0`]);
    const skopeo = await measureProcess(proxy, 5, [
      'skopeo',
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${proxy.host}/bench/chart:6.5.0`,
    ]);
    const bareNode = await measure(undefined, 5, () => timeOnce([node, '-e', '0']));
    rows.push({
      measure: `inspect, signed chart, ${DELAY_MS} ms/request (${inspect.rounds} rounds)`,
      ours: inspect.ms,
      peerName: `skopeo inspect --raw (${skopeo.rounds} rounds)`,
      peer: skopeo.ms,
      target: '2 dependent rounds',
      met: inspect.rounds === 2,
      note: `floor: node start-up ${bareNode.ms.toFixed(0)} ms + 2 × ${DELAY_MS} ms = ${(bareNode.ms + 2 * DELAY_MS).toFixed(0)} ms; skopeo inspect --raw reads the manifest only (without --raw it refuses a non-image artifact), no config, referrers or cosign tags`,
    });

    // The tree's path: list the tags, wait as the view does, then the summaries it queues.
    const expand = (atOnce: number) => async () => {
      const fresh = new OciClient();
      try {
        const repo = fresh.repository(parseReference(`${proxy.host}/bench/hundred`));
        const tags: string[] = [];
        for await (const tag of repo.tags({ pageSize: 1000 })) tags.push(tag);
        await new Promise((resolve) => setTimeout(resolve, LIST_SUMMARIES.afterMs));
        const queue = new SummaryQueue(atOnce);
        await Promise.all(tags.map((tag) => queue.queued(repo, tag)));
      } finally {
        await fresh.close();
      }
    };
    const tree = await measure(proxy, 3, expand(LIST_SUMMARIES.atOnce));
    const before = await measure(proxy, 1, expand(4));
    const treeFloor = LIST_SUMMARIES.afterMs + (1 + Math.ceil(100 / LIST_SUMMARIES.atOnce)) * DELAY_MS;
    rows.push({
      measure: `tree: 100 tags until every row shows its kind (${tree.rounds} rounds)`,
      ours: tree.ms,
      peerName: 'floor',
      peer: treeFloor,
      target: '≤ 1.5 s',
      met: tree.ms <= 1500,
      note: `floor: the view's ${LIST_SUMMARIES.afterMs} ms pause + the listing + ⌈100 / ${LIST_SUMMARIES.atOnce}⌉ rounds of manifests; 4 at a time (before issue 24): ${before.ms.toFixed(0)} ms, ${before.rounds} rounds`,
    });

    let folder = 0;
    const pull = await measure(proxy, 5, () =>
      pullToFolder(client, parseReference(`${proxy.host}/bench/twenty:v1`), join(scratch, `pull-${++folder}`)),
    );
    const skopeoPull = await measureProcess(proxy, 5, [
      'bash',
      '-c',
      `d=$(mktemp -d) && skopeo copy --quiet --src-tls-verify=false docker://${proxy.host}/bench/twenty:v1 dir:$d/x; s=$?; rm -rf $d; exit $s`,
    ]);
    rows.push({
      measure: `pull, 20 files, ${DELAY_MS} ms/request (${pull.rounds} rounds)`,
      ours: pull.ms,
      peerName: 'floor (2 rounds)',
      peer: 2 * DELAY_MS,
      target: 'manifest + 1 round of blobs',
      met: pull.rounds === 2,
      note: `skopeo copy to dir: of the same artifact: ${skopeoPull.ms.toFixed(0)} ms, ${skopeoPull.rounds} rounds (process included)`,
    });

    rows.push(await copyRow());
    return rows;
  } finally {
    await client.close();
    await proxy.stop();
    await registry.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Copy of one 100 MiB artifact between two loopback registries: the core's copy against `skopeo copy`, taken in turns (copy.bench). */
async function copyRow(): Promise<Row> {
  const copies = await raceCopies(5);
  return {
    measure: 'copy, one 100 MiB artifact, loopback',
    ours: copies.core,
    peerName: 'skopeo copy',
    peer: copies.skopeo,
    target: '≤ 1.1× skopeo',
    met: copies.core <= 1.1 * copies.skopeo,
    note: `no delay: on loopback the copy is bound by bandwidth and CPU, which is what the ratio compares; the core copy in-process against the skopeo process (the whole oci-gitops copy process: ${copies.ours.toFixed(0)} ms)`,
  };
}
