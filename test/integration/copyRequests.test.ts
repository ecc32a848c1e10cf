import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { executeRepositoryCopy, planRepositoryCopy } from '../../src/artifact/copy';
import { OciClient, parseReference, referrersTagFor, type Descriptor } from '../../src/oci';
import { signatureTagFor } from '../../src/signing';
import { cli } from '../support/cli';
import { dependentRounds, LatencyProxy, type ProxiedRequest } from '../support/latencyProxy';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { pushArtifact } from './fixtures';
import { pushSignedReleases } from './releaseFixtures';

// Counts, not times: both registries sit behind a proxy that holds every request DELAY_MS, so
// requests sent together overlap and a request that waited for another's answer does not.
const DELAY_MS = 40;
/** The CLI's default: tags copied at once, each of which may ask whether the registry has the referrers API before any answer says. */
const CONCURRENCY = 8;

const line = (r: ProxiedRequest) => `${r.method} ${r.path}`;
const isWrite = (r: ProxiedRequest) => r.method !== 'GET' && r.method !== 'HEAD';
const isProbe = (r: ProxiedRequest) => r.method === 'GET' && r.path.includes('/referrers/');

function countOf(requests: ProxiedRequest[], wanted: (r: ProxiedRequest) => boolean): number {
  return requests.filter(wanted).length;
}

/** Request lines (method and path) sent more than once, with how often. */
function repeated(requests: ProxiedRequest[]): string[] {
  const seen = new Map<string, number>();
  for (const r of requests) seen.set(line(r), (seen.get(line(r)) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([request, n]) => `${request} ×${n}`);
}

/**
 * `copy --all-tags --referrers` of signed releases (each an artifact with a cosign `.sig` tag and
 * a Sigstore bundle listed in its `sha256-<hex>` fallback index: Distribution 2.8 has no referrers
 * API), the destination's requests counted by kind. What each tag needs is fixed by the protocol:
 * its tag read and written, its manifest asked for and pushed, its signature tag read and pushed,
 * its bundle pushed and added to the fallback index (read, rewritten, read back), and each blob
 * asked for, opened and uploaded; nothing else, and nothing asked twice.
 */
describe('copy --all-tags: the requests a repository copy sends the destination', () => {
  let source: RunningRegistry;
  let destination: RunningRegistry;
  let sourceProxy: LatencyProxy;
  let destinationProxy: LatencyProxy;
  let releases: Map<string, Descriptor>;
  const versions = ['1.0.0', '1.1.0', '2.0.0'];

  before(async () => {
    [source, destination] = await Promise.all([startRegistry({ auth: 'none' }), startRegistry({ auth: 'none' })]);
    [sourceProxy, destinationProxy] = await Promise.all([
      new LatencyProxy(source.host, { delayMs: DELAY_MS }).start(),
      new LatencyProxy(destination.host, { delayMs: DELAY_MS }).start(),
    ]);
    // Seeded past the proxies: only what a test measures is counted.
    const seeder = new OciClient();
    const repo = seeder.repository(parseReference(`${source.host}/team/app`));
    releases = await pushSignedReleases(repo, versions, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    // A second tag of one digest: its artifact and signatures are copied once.
    await repo.tag(releases.get('2.0.0')!.digest, 'latest');
    releases.set('latest', releases.get('2.0.0')!);
    await pushSignedReleases(
      seeder.repository(parseReference(`${source.host}/team/single`)),
      ['1.0.0'],
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
    );
    await seeder.close();
  });
  after(async () => {
    await Promise.all([sourceProxy?.stop(), destinationProxy?.stop()]);
    await Promise.all([source?.stop(), destination?.stop()]);
  });

  const mirror = async (from: string, to: string) => {
    sourceProxy.reset();
    destinationProxy.reset();
    const run = await cli(['copy', `${sourceProxy.host}/${from}`, `${destinationProxy.host}/${to}`, '--all-tags', '--referrers']);
    assert.equal(run.code, 0, run.stderr);
    return { run, sent: [...destinationProxy.requests], rounds: dependentRounds([...sourceProxy.requests, ...destinationProxy.requests]) };
  };

  test('a copy of new tags asks for each tag and each manifest once, and sends a fixed number of requests per release', async () => {
    const { sent } = await mirror('team/app', 'fresh/app');
    const digests = new Set([...releases.values()].map((d) => d.digest));
    const manifests = (reference: string) => sent.filter((r) => r.path.endsWith(`/manifests/${reference}`)).map((r) => r.method);
    for (const tag of releases.keys())
      assert.deepEqual(manifests(tag), ['HEAD', 'PUT'], `the tag ${tag}: read once (by the plan), set once`);
    for (const digest of digests) {
      assert.deepEqual(manifests(digest), ['HEAD', 'PUT'], `the artifact ${digest}: asked for once, pushed once`);
      assert.deepEqual(manifests(signatureTagFor(digest)), ['GET', 'PUT'], `its .sig: read once, pushed once`);
      // Not listed (the artifact was not there, so nothing there refers to it): read, rewritten and read back once the bundle is pushed.
      assert.deepEqual(manifests(referrersTagFor(digest)), ['GET', 'PUT', 'GET'], `its fallback index ${referrersTagFor(digest)}`);
    }
    const uploaded = new Set(
      sent
        .filter((r) => r.method === 'PUT' && r.path.includes('/blobs/uploads/'))
        .map((r) => new URL(r.path, 'http://x').searchParams.get('digest')),
    );
    const blobRequests = sent.filter((r) => r.path.includes('/blobs/'));
    assert.equal(blobRequests.length, 3 * uploaded.size, 'each blob asked for, opened and uploaded once');
    assert.deepEqual(repeated(blobRequests.filter((r) => r.method !== 'POST')), []);
    const probes = countOf(sent, isProbe);
    assert.ok(probes <= CONCURRENCY, `${probes} referrers API probes`);
    // Per release: its tag 2, its manifest 2, its .sig 2, its bundle 1, its fallback index 3; a second tag of one digest 2.
    const expected = 10 * digests.size + 2 * (releases.size - digests.size) + 3 * uploaded.size + probes;
    assert.equal(sent.length, expected, sent.map(line).join('\n'));
  });

  test('a re-run writes nothing and asks for each destination tag at most once', async () => {
    await mirror('team/app', 'again/app');
    const { run, sent } = await mirror('team/app', 'again/app');
    assert.match(run.stderr, /0 copied, 0 moved, 4 skipped \(already there\), 0 drifted, 0 failed/);
    assert.deepEqual(sent.filter(isWrite).map(line), []);
    const reads = sent.filter((r) => !isProbe(r));
    assert.deepEqual(repeated(reads), [], reads.map(line).join('\n'));
    const tags = new Set<string>();
    const client = new OciClient();
    for await (const tag of client.repository(parseReference(`${destination.host}/again/app`)).tags()) tags.add(tag);
    await client.close();
    for (const r of reads)
      assert.ok(
        tags.has(r.path.slice(r.path.lastIndexOf('/manifests/') + '/manifests/'.length)),
        `${line(r)} names a tag of the destination`,
      );
    assert.ok(reads.length <= tags.size, `${reads.length} reads for ${tags.size} tags`);
    assert.ok(countOf(sent, isProbe) <= CONCURRENCY);
  });

  test('a re-run of one signed tag is five dependent rounds: the plan in four, then the signature and fallback tags at once', async () => {
    await mirror('team/single', 'rounds/single');
    const { rounds, sent } = await mirror('team/single', 'rounds/single');
    // Listing; the tag at both ends; the source's referrers, fallback and .sig tags; their manifests; the destination's .sig and fallback tags.
    assert.equal(rounds, 5, sent.map(line).join('\n'));
  });

  test('where a plan read long ago found no tag is read again: a tag set at the destination since is drift, not moved', async () => {
    const client = new OciClient();
    const from = client.repository(parseReference(`${sourceProxy.host}/team/app`));
    const to = client.repository(parseReference(`${destinationProxy.host}/late/app`));
    const plan = await planRepositoryCopy(from, to, ['1.0.0'], { referrers: true });
    assert.equal(plan.tags[0].current, undefined);
    const other = await pushArtifact(to, '1.0.0', { files: { 'app.yaml': 'pushed while the plan waited\n' } });
    // A plan confirmed after a while (an editor's modal): its reading of the destination is old.
    plan.tags[0].readAt -= 10 * 60_000;
    const result = await executeRepositoryCopy(plan);
    assert.deepEqual(
      result.tags.map((t) => [t.tag, t.outcome]),
      [['1.0.0', 'drifted']],
    );
    assert.equal((await to.resolve('1.0.0')).digest, other.digest);
    await client.close();
  });
});
