import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { describeArtifact } from '../../src/artifact/describe';
import { LIST_SUMMARIES, SummaryQueue } from '../../src/artifact/summaryQueue';
import { referrersTagFor, OciClient, StaticCredentials, parseReference, type Descriptor } from '../../src/oci';
import { cli } from '../support/cli';
import { pushHelmChart } from '../support/helmChart';
import { manyTagNames, seedManyTags } from '../support/manyTags';
import { LatencyProxy, maxInFlight, type ProxiedRequest } from '../support/latencyProxy';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { legacyCosignSignature } from '../sandbox/seed';
import { pushArtifact } from './fixtures';

// Counts, not times: each registry sits behind a proxy that holds every request for DELAY_MS, long
// enough that requests sent together overlap and requests that waited for an answer do not.
const DELAY_MS = 40;

const line = (r: ProxiedRequest) => `${r.method} ${r.path}`;
const roundsText = (proxy: LatencyProxy) =>
  proxy
    .rounds()
    .map((round, i) => `round ${i + 1}: ${round.map(line).join(', ')}`)
    .join('\n');

/** GETs and HEADs that were answered (not challenged) more than once. */
function repeated(proxy: LatencyProxy): string[] {
  const seen = new Map<string, number>();
  for (const r of proxy.requests) if (r.status !== 401 && r.upstream === 'registry') seen.set(line(r), (seen.get(line(r)) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([request, n]) => `${request} ×${n}`);
}

/** A Helm chart (its kind reads the config), with an SBOM in the referrers fallback index and a cosign `.sig` tag. */
async function pushSignedChart(client: OciClient, host: string): Promise<Descriptor> {
  const repo = client.repository(parseReference(`${host}/charts/podinfo`));
  const chart = await pushHelmChart(repo, { name: 'podinfo', version: '6.5.0' });
  await pushArtifact(repo, undefined, { artifactType: 'application/spdx+json', files: { 'sbom.spdx.json': '{}' }, subject: chart });
  await legacyCosignSignature(client, `${host}/charts/podinfo`, chart.digest);
  return chart;
}

describe('round trips: what waits on what, counted through a proxy that delays each request', () => {
  let registry: RunningRegistry;
  let proxy: LatencyProxy;
  let chart: Descriptor;
  const files = Object.fromEntries(
    Array.from({ length: 20 }, (_, i) => [`manifests/part-${String(i).padStart(2, '0')}.yaml`, `part: ${i}\n`]),
  );

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    proxy = await new LatencyProxy(registry.host, { delayMs: DELAY_MS }).start();
    // Seeded past the proxy: only what a test measures pays the delay.
    const seeder = new OciClient();
    chart = await pushSignedChart(seeder, registry.host);
    await pushArtifact(seeder.repository(parseReference(`${registry.host}/apps/twenty`)), 'v1', { files });
    await seedManyTags(seeder, registry, 'apps/hundred', manyTagNames(100));
    await seeder.close();
  });
  after(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  test('inspect of a signed artifact is two rounds: the manifest, then referrers, fallback tag, cosign tags and config at once', async () => {
    proxy.reset();
    const run = await cli(['inspect', `${proxy.host}/charts/podinfo:6.5.0`]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Cosign signature/);
    assert.match(run.stdout, /SPDX/);
    const rounds = proxy.rounds();
    assert.equal(rounds.length, 2, roundsText(proxy));
    assert.deepEqual(rounds[0].map(line), ['GET /v2/charts/podinfo/manifests/6.5.0']);
    const hex = chart.digest.slice('sha256:'.length);
    assert.deepEqual(rounds[1].map(line).sort(), [
      `GET /v2/charts/podinfo/blobs/${(await configOf(proxy, chart)).digest}`,
      `GET /v2/charts/podinfo/manifests/${referrersTagFor(chart.digest)}`,
      `GET /v2/charts/podinfo/referrers/${chart.digest}`,
      `HEAD /v2/charts/podinfo/manifests/sha256-${hex}.att`,
      `HEAD /v2/charts/podinfo/manifests/sha256-${hex}.sbom`,
      `HEAD /v2/charts/podinfo/manifests/sha256-${hex}.sig`,
    ]);
    assert.deepEqual(repeated(proxy), []);
  });

  test('pull of a 20-file artifact is the manifest, then one round of its 20 blobs', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'oci-gitops-round-trips-')), 'out');
    proxy.reset();
    const run = await cli(['pull', `${proxy.host}/apps/twenty:v1`, folder]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(readdirSync(join(folder, 'manifests')).length, 20);
    const rounds = proxy.rounds();
    assert.equal(rounds.length, 2, roundsText(proxy));
    assert.deepEqual(rounds[0].map(line), ['GET /v2/apps/twenty/manifests/v1']);
    assert.equal(rounds[1].filter((r) => r.path.startsWith('/v2/apps/twenty/blobs/')).length, 20, roundsText(proxy));
    assert.deepEqual(repeated(proxy), []);
  });
  test("the tree's summaries of 100 tags: each manifest read once, a bounded number at a time", async () => {
    const client = new OciClient();
    const repo = client.repository(parseReference(`${proxy.host}/apps/hundred`));
    proxy.reset();
    const tags: string[] = [];
    for await (const tag of repo.tags({ pageSize: 1000 })) tags.push(tag);
    const queue = new SummaryQueue();
    const rows = Promise.all(tags.map((tag) => queue.queued(repo, tag)));
    // Rows expanded while the page's summaries are on their way share their reads.
    const expanded = await Promise.all([queue.now(repo, tags[99]), queue.now(repo, tags[0])]);
    const summaries = await rows;
    await client.close();
    assert.equal(tags.length, 100);
    assert.deepEqual(new Set(summaries.map((s) => s.kind.kind.id)), new Set(['oras-files']));
    assert.equal(expanded[0].descriptor.digest, summaries[99].descriptor.digest);
    assert.equal(
      proxy.count((r) => r.path.includes('/manifests/')),
      100,
      roundsText(proxy),
    );
    assert.deepEqual(repeated(proxy), []);
    // LIST_SUMMARIES.atOnce in flight (and the two expanded rows), never more.
    const inFlight = maxInFlight(proxy.requests);
    assert.ok(inFlight >= LIST_SUMMARIES.atOnce && inFlight <= LIST_SUMMARIES.atOnce + 2, `${inFlight} requests at once`);
    // The listing, then the manifests: at the floor, ⌈100 / atOnce⌉ rounds; a slot whose answers
    // come quicker takes more than its share, but never twice as many.
    const most = 1 + 2 * Math.ceil(100 / LIST_SUMMARIES.atOnce);
    assert.ok(proxy.dependentRounds() <= most, `${proxy.dependentRounds()} rounds, more than ${most}:\n${roundsText(proxy)}`);
  });
});

async function configOf(proxy: LatencyProxy, chart: Descriptor): Promise<Descriptor> {
  const client = new OciClient();
  try {
    const { manifest } = await client.repository(parseReference(`${proxy.host}/charts/podinfo`)).fetchManifest(chart.digest);
    return (manifest as { config: Descriptor }).config;
  } finally {
    await client.close();
  }
}

describe('round trips on a registry with token auth', () => {
  let registry: RunningRegistry;
  let proxy: LatencyProxy;

  before(async () => {
    registry = await startRegistry({ auth: 'token' });
    proxy = await new LatencyProxy(registry.host, { delayMs: DELAY_MS, tokenRealm: registry.tokenServer!.url }).start();
    const seeder = new OciClient({ credentials: new StaticCredentials(registry.host, registry.admin) });
    await pushSignedChart(seeder, registry.host);
    await seeder.close();
  });
  after(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  test('inspect asks for one token for its scope and reuses it for every request after the first challenge', async () => {
    const client = new OciClient({ credentials: new StaticCredentials(proxy.host, registry.reader) });
    proxy.reset();
    const described = await describeArtifact(client.repository(parseReference(`${proxy.host}/charts/podinfo`)), '6.5.0');
    await client.close();
    assert.equal(described.referrers.length, 2);
    assert.equal(
      proxy.count((r) => r.upstream === 'token'),
      1,
      roundsText(proxy),
    );
    assert.equal(
      proxy.count((r) => r.status === 401),
      1,
      roundsText(proxy),
    );
    // The challenge, the token, then the two rounds of an anonymous inspect.
    assert.equal(proxy.dependentRounds(), 4, roundsText(proxy));
    assert.deepEqual(repeated(proxy), []);
  });

  test('requests sent together to a registry not yet contacted share one challenge and one token', async () => {
    const client = new OciClient({ credentials: new StaticCredentials(proxy.host, registry.reader) });
    proxy.reset();
    const repo = client.repository(parseReference(`${proxy.host}/charts/podinfo`));
    const resolved = await Promise.all(
      ['6.5.0', '6.5.0', '6.5.0', '6.5.0'].map((tag, i) => (i % 2 ? repo.resolve(tag) : repo.fetchManifest(tag))),
    );
    await client.close();
    assert.equal(resolved.length, 4);
    assert.equal(
      proxy.count((r) => r.status === 401),
      1,
      roundsText(proxy),
    );
    assert.equal(
      proxy.count((r) => r.upstream === 'token'),
      1,
      roundsText(proxy),
    );
    // The first request's challenge, its token, then the first request again with the three others.
    assert.equal(proxy.dependentRounds(), 3, roundsText(proxy));
  });
});
