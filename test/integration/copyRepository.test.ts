import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { releaseTags } from '../../src/artifact/copy';
import { digestOf, OciClient, parseReference, type Descriptor, type RepositoryApi } from '../../src/oci';
import { signatureTagFor } from '../../src/signing';
import { cli } from '../support/cli';
import { FaultProxy, type ProxyAction } from '../support/faultProxy';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { attachedTree } from './copyFixtures';
import { pushArtifact } from './fixtures';
import { pushSignedReleases, SHARED_FILE } from './releaseFixtures';

/**
 * `copy --all-tags` between two real registries (CNCF Distribution 2.8: no referrers API, so each
 * signature bundle travels through the `sha256-<hex>` fallback index), the destination behind a
 * proxy that records every request and can fail one. Outcomes and exit codes follow flux-mirror
 * sync (fluxcd/flux-mirror docs/sync.md, "Outcomes" and "Exit codes": copied, overwritten, skipped,
 * drifted; 1 on a failure, else 2 on drift).
 */
describe('copy --all-tags: a repository mirrored with its signatures', () => {
  let staging: RunningRegistry;
  let production: RunningRegistry;
  let productionProxy: FaultProxy;
  let client: OciClient;
  let source: RepositoryApi;
  let releases: Map<string, Descriptor>;
  let fault: (method: string, url: string) => ProxyAction = () => 'pass';
  const versions = ['1.0.0', '1.0.1', '1.1.0', '2.0.0'];

  before(async () => {
    [staging, production] = await Promise.all([startRegistry({ accessLog: true }), startRegistry()]);
    productionProxy = await new FaultProxy(production.host, (req) => fault(req.method ?? '', req.url ?? '')).start();
    client = new OciClient();
    source = client.repository(parseReference(`${staging.host}/team/app`));
    releases = await pushSignedReleases(source, versions, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    // A second tag of one digest: copied once, tagged twice.
    await source.tag(releases.get('2.0.0')!.digest, 'latest');
    releases.set('latest', releases.get('2.0.0')!);
  });
  after(async () => {
    await client?.close();
    await productionProxy?.stop();
    await Promise.all([staging?.stop(), production?.stop()]);
  });

  const destination = (repository: string) => client.repository(parseReference(`${productionProxy.host}/${repository}`));
  const mirror = (repository: string, ...flags: string[]) =>
    cli(['copy', `${staging.host}/team/app`, `${productionProxy.host}/${repository}`, ...flags]);
  const tagsOf = async (repo: RepositoryApi) => {
    const all: string[] = [];
    for await (const tag of repo.tags()) all.push(tag);
    return all.sort();
  };
  const writesSince = (from: number) => productionProxy.seen.slice(from).filter((r) => r.method !== 'GET' && r.method !== 'HEAD');

  test('every tag is copied at its source digest, with its cosign signature and its Sigstore bundle', async () => {
    const run = await mirror('all/app', '--all-tags', '--referrers');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /5 copied, 0 moved, 0 skipped \(already there\), 0 drifted, 0 failed/);
    const copied = destination('all/app');
    for (const [tag, artifact] of releases) {
      assert.equal((await copied.resolve(tag)).digest, artifact.digest, tag);
      assert.deepEqual(await attachedTree(copied, artifact.digest), await attachedTree(source, artifact.digest), tag);
      assert.match(run.stdout, new RegExp(`/all/app:${tag}@${artifact.digest}`));
    }
    assert.deepEqual(await tagsOf(copied), await tagsOf(source), 'the .sig and fallback tags came along with their artifacts');
  });

  test('a blob every tag shares is uploaded once, and within one registry mounted once', async () => {
    const shared = digestOf(Buffer.from(SHARED_FILE));
    const before = productionProxy.seen.length;
    const run = await mirror('dedup/app', '--all-tags', '--referrers');
    assert.equal(run.code, 0, run.stderr);
    const uploads = writesSince(before).filter((r) => r.method === 'PUT' && r.url.includes('/blobs/uploads/'));
    const perDigest = new Map<string, number>();
    for (const r of uploads) {
      const digest = new URL(r.url, 'http://x').searchParams.get('digest')!;
      perDigest.set(digest, (perDigest.get(digest) ?? 0) + 1);
    }
    assert.equal(perDigest.get(shared), 1, 'the shared file');
    assert.deepEqual(
      [...perDigest.entries()].filter(([, n]) => n > 1),
      [],
      'no blob is uploaded twice',
    );

    const logged = staging.requests().length;
    const within = await cli(['copy', `${staging.host}/team/app`, `${staging.host}/mounted/app`, '--all-tags', '--referrers']);
    assert.equal(within.code, 0, within.stderr);
    const mounts = staging
      .requests()
      .slice(logged)
      .filter((r) => r.startsWith('POST /v2/mounted/app/blobs/uploads/') && r.includes('mount='));
    assert.equal(mounts.filter((r) => r.includes(shared.slice('sha256:'.length))).length, 1, mounts.join('\n'));
    assert.match(within.stderr, /blobs: 0 copied \(0 B\), \d+ mounted/);
  });

  test('the source is asked for no cosign or fallback referrers tag its tag listing lacks', async () => {
    const logged = staging.requests().length;
    const run = await mirror('listed/app', '--all-tags', '--referrers');
    assert.equal(run.code, 0, run.stderr);
    const asked = staging
      .requests()
      .slice(logged)
      .filter((r) => /^(GET|HEAD) \/v2\/team\/app\/manifests\/sha256-/.test(r));
    // Each tag's release has a .sig and a fallback index (its bundle); no .att, no .sbom, and its signatures have no referrers.
    assert.deepEqual(
      asked.filter((r) => /\.(att|sbom) /.test(r)),
      [],
    );
    assert.equal(asked.filter((r) => /\.sig /.test(r)).length, releases.size, asked.join('\n'));
    assert.equal(asked.filter((r) => /sha256-[0-9a-f]{64} /.test(r)).length, releases.size, asked.join('\n'));
  });

  test('a second run copies nothing: every tag is skipped and the destination receives no write', async () => {
    assert.equal((await mirror('resume/app', '--all-tags', '--referrers')).code, 0);
    const before = productionProxy.seen.length;
    const again = await mirror('resume/app', '--all-tags', '--referrers', '--json');
    assert.equal(again.code, 0, again.stderr);
    const report = JSON.parse(again.stdout);
    assert.deepEqual(report.counts, { copied: 0, moved: 0, skipped: 5, drifted: 0, failed: 0 });
    assert.deepEqual(report.blobs, { copied: 0, mounted: 0, skipped: report.blobs.skipped, bytesCopied: 0 });
    assert.equal(report.manifests.copied + report.referrers.copied, 0);
    assert.deepEqual(writesSince(before), []);
  });

  test('a destination tag that points elsewhere is drift: reported, left alone, exit 2; --force moves it', async () => {
    const other = await pushArtifact(destination('drift/app'), '1.0.1', { files: { 'app.yaml': 'not the release\n' } });
    const drifted = await mirror('drift/app', '--all-tags', '--referrers');
    assert.equal(drifted.code, 2, drifted.stderr);
    assert.match(drifted.stderr, new RegExp(`1\\.0\\.1: drifted: points at ${other.digest}`));
    assert.match(drifted.stderr, /4 copied, 0 moved, 0 skipped \(already there\), 1 drifted, 0 failed/);
    assert.equal((await destination('drift/app').resolve('1.0.1')).digest, other.digest);
    assert.equal((await destination('drift/app').resolve('1.0.0')).digest, releases.get('1.0.0')!.digest);

    const forced = await mirror('drift/app', '--all-tags', '--referrers', '--force');
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr, new RegExp(`1\\.0\\.1: moved \\(from ${other.digest}\\)`));
    assert.equal((await destination('drift/app').resolve('1.0.1')).digest, releases.get('1.0.1')!.digest);
  });

  test('--semver copies the versions a Flux ref.semver constraint picks, and only those', async () => {
    const run = await mirror('semver/app', '--semver', '^1.0', '--referrers');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(releaseTags(await tagsOf(destination('semver/app'))), ['1.0.0', '1.0.1', '1.1.0']);
  });

  test('--tag-regex copies the tags a Go regular expression matches, unanchored as Go matches', async () => {
    const run = await mirror('regex/app', '--tag-regex', '^1\\.0\\.');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await tagsOf(destination('regex/app')), ['1.0.0', '1.0.1'], 'without --referrers no signature comes along');
  });

  test('a --tag-regex Go cannot compile (a lookahead) is a usage error, and nothing is copied', async () => {
    const run = await mirror('refused/app', '--tag-regex', '^(?=1)');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--tag-regex \^\(\?=1\) is not a Go regular expression/);
    await assert.rejects(destination('refused/app').resolve('1.0.0'), /MANIFEST_UNKNOWN|NAME_UNKNOWN|unknown/i);
  });

  test('a tag whose signature fails to copy is left untouched, the others complete, and a rerun finishes it', async () => {
    const broken = releases.get('1.1.0')!;
    fault = (method, url) => (method === 'PUT' && url.endsWith(`/manifests/${signatureTagFor(broken.digest)}`) ? { status: 500 } : 'pass');
    const failed = await mirror('faults/app', '--all-tags', '--referrers');
    fault = () => 'pass';
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /1\.1\.0: failed: cosign tag sha256-[0-9a-f]{64}\.sig/);
    assert.match(failed.stderr, /4 copied, 0 moved, 0 skipped \(already there\), 0 drifted, 1 failed/);
    assert.match(failed.stderr, /1 tag not copied and untouched/);
    await assert.rejects(destination('faults/app').resolve('1.1.0'), /MANIFEST_UNKNOWN|unknown/i, 'no tag points at a half-copied release');
    for (const tag of ['1.0.0', '1.0.1', '2.0.0', 'latest'])
      assert.equal((await destination('faults/app').resolve(tag)).digest, releases.get(tag)!.digest, tag);

    const rerun = await mirror('faults/app', '--all-tags', '--referrers');
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stderr, /1 copied, 0 moved, 4 skipped \(already there\), 0 drifted, 0 failed/);
    assert.deepEqual(await attachedTree(destination('faults/app'), broken.digest), await attachedTree(source, broken.digest));
  });

  test('a repository copy takes repositories: a source tag is a usage error', async () => {
    const run = await cli(['copy', `${staging.host}/team/app:1.0.0`, `${productionProxy.host}/x/app`, '--all-tags']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /give both as registry\/repository/);
  });
});
