import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { before, describe, test } from 'node:test';
import { completeFromRegistry } from '../../../src/gitops/completion/registryCompletion';
import { RegistryFacts } from '../../../src/gitops/completion/registryFacts';
import { previewSemver } from '../../../src/gitops/completion/semverPreview';
import { completionSiteAt, semverSites, sourceDocuments } from '../../../src/gitops/kindQueries';
import type { OciClient } from '../../../src/oci';
import { pushArtifact } from '../../integration/fixtures';
import { FaultProxy } from '../../support/faultProxy';
import { useRegistry } from '../../support/useRegistry';
import { OciClient as Client, parseReference } from '../../../src/oci';

function at(textWithCursor: string): [string, number] {
  const offset = textWithCursor.indexOf('|');
  return [textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1), offset];
}

const oci = (host: string, ref: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: app
spec:
  url: oci://${host}/fleet/app
  ref:
    ${ref}
`;

function factsFor(client: OciClient): RegistryFacts {
  return new RegistryFacts({
    repository: (ref) => client.repository(ref),
    catalog: async (host) => (await client.registry(host).repositoryPage({ pageSize: 100 })).items,
  });
}

describe('registry completion against CNCF Distribution', () => {
  const ctx = useRegistry({ auth: 'none' });
  const pushed = new Map<string, string>();

  before(async () => {
    const repo = ctx.client.repository(parseReference(`${ctx.registry.host}/fleet/app`));
    for (const [i, tag] of ['1.9.0', '1.10.0', '1.10.1-rc.1', 'v2.0.0', 'latest', '2.0.0_build.1'].entries()) {
      const descriptor = await pushArtifact(repo, tag, { files: { 'app.yaml': `replicas: ${i}\n` } });
      pushed.set(tag, descriptor.digest);
    }
    await pushArtifact(ctx.client.repository(parseReference(`${ctx.registry.host}/charts/podinfo`)), '6.5.0', {});
  });

  test('tags come newest first by version, the rest after, and get kind, age and short digest once looked up', async () => {
    const facts = factsFor(ctx.client);
    const site = completionSiteAt(...at(oci(ctx.registry.host, 'tag: |')))!;
    const first = await completeFromRegistry(site, facts, []);
    assert.deepEqual(
      first.choices.map((c) => c.label),
      ['2.0.0_build.1', 'v2.0.0', '1.10.1-rc.1', '1.10.0', '1.9.0', 'latest'],
    );
    assert.equal(first.incomplete, true, 'details are still loading');
    await Promise.all(first.choices.map((c) => facts.detail({ host: ctx.registry.host, repository: 'fleet/app' }, c.label)));
    const second = await completeFromRegistry(site, facts, []);
    assert.equal(second.incomplete, false);
    const v2 = second.choices.find((c) => c.label === 'v2.0.0')!;
    assert.match(v2.detail ?? '', new RegExp(`· ${pushed.get('v2.0.0')!.slice(7, 19)}$`));
  });

  test('ref.semver offers the versions Flux can pick: strict semver (v allowed), no build-metadata tags spelled with _', async () => {
    const site = completionSiteAt(...at(oci(ctx.registry.host, 'semver: |')))!;
    const answer = await completeFromRegistry(site, factsFor(ctx.client), []);
    assert.deepEqual(
      answer.choices.map((c) => c.label),
      ['v2.0.0', '1.10.1-rc.1', '1.10.0', '1.9.0'],
    );
  });

  test('ref.digest offers the digests of the newest tags, labelled with their tags', async () => {
    const facts = factsFor(ctx.client);
    const site = completionSiteAt(...at(oci(ctx.registry.host, 'digest: |')))!;
    await completeFromRegistry(site, facts, []);
    await Promise.all(
      (await facts.tags({ host: ctx.registry.host, repository: 'fleet/app' })).map((t) =>
        facts.detail({ host: ctx.registry.host, repository: 'fleet/app' }, t),
      ),
    );
    const answer = await completeFromRegistry(site, facts, []);
    const latest = answer.choices.find((c) => c.insert === pushed.get('latest'));
    assert.equal(latest?.detail, 'latest');
  });

  test('after oci:// come the registries the user has, then the repositories of the catalog and the remembered ones', async () => {
    const facts = factsFor(ctx.client);
    const known = [{ host: ctx.registry.host, repositories: ['private/only-known'] }];
    const hostSite = completionSiteAt(
      ...at(oci(ctx.registry.host, 'tag: x').replace(`url: oci://${ctx.registry.host}/fleet/app`, 'url: oci://|')),
    )!;
    assert.deepEqual(
      (await completeFromRegistry(hostSite, facts, known)).choices.map((c) => c.insert),
      [`oci://${ctx.registry.host}/`],
    );
    const repoSite = completionSiteAt(
      ...at(oci(ctx.registry.host, 'tag: x').replace(`url: oci://${ctx.registry.host}/fleet/app`, `url: oci://${ctx.registry.host}/|`)),
    )!;
    assert.deepEqual(
      (await completeFromRegistry(repoSite, facts, known)).choices.map((c) => c.insert),
      [
        `oci://${ctx.registry.host}/private/only-known`,
        `oci://${ctx.registry.host}/charts/podinfo`,
        `oci://${ctx.registry.host}/fleet/app`,
      ],
    );
  });

  test('an Argo CD Helm-OCI targetRevision offers chart versions with + for Helm’s _', async () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: app
spec:
  source:
    repoURL: ${ctx.registry.host}/fleet
    chart: app
    targetRevision: |
`;
    const answer = await completeFromRegistry(completionSiteAt(...at(text))!, factsFor(ctx.client), []);
    assert.deepEqual(
      answer.choices.map((c) => c.label),
      ['2.0.0+build.1', 'v2.0.0', '1.10.1-rc.1', '1.10.0', '1.9.0'],
    );
  });

  const helmRelease = (host: string, version: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: fleet
  namespace: apps
spec:
  type: oci
  url: oci://${host}/fleet
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: app
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: app
      sourceRef:
        kind: HelmRepository
        name: fleet
      version: ${version}
`;

  test('a HelmRelease chart.spec.version from an OCI HelmRepository in the file offers the versions Helm reads (no v, _ as +)', async () => {
    const answer = await completeFromRegistry(completionSiteAt(...at(helmRelease(ctx.registry.host, '|')))!, factsFor(ctx.client), []);
    assert.deepEqual(
      answer.choices.map((c) => c.label),
      ['2.0.0+build.1', '1.10.1-rc.1', '1.10.0', '1.9.0'],
    );
  });

  test('the semver preview of that chart.spec.version says Flux’s Helm reading applies', async () => {
    const [site] = semverSites(helmRelease(ctx.registry.host, '"^1.9"'));
    const preview = previewSemver(site, await factsFor(ctx.client).tags(site.repo));
    assert.equal(preview.resolution.winner, '1.10.0');
    assert.match(preview.markdown, /Flux \(HelmChart from an OCI HelmRepository\)/);
  });

  test('the OCI HelmRepository may be declared in another workspace file: its versions are offered all the same', async () => {
    const [repositoryFile, releaseFile] = helmRelease(ctx.registry.host, '|').split('---\n');
    assert.equal(completionSiteAt(...at(releaseFile)), undefined, 'alone, the HelmRelease names no registry');
    const site = completionSiteAt(...at(releaseFile), sourceDocuments(repositoryFile));
    const answer = await completeFromRegistry(site!, factsFor(ctx.client), []);
    assert.deepEqual(
      answer.choices.map((c) => c.label),
      ['2.0.0+build.1', '1.10.1-rc.1', '1.10.0', '1.9.0'],
    );
    const [semver] = semverSites(releaseFile.replace('|', '"^1.9"'), sourceDocuments(repositoryFile));
    assert.equal(semver?.field, 'spec.chart.spec.version');
  });

  test('a repository that does not exist gives no choices and says why', async () => {
    const text = oci(ctx.registry.host, 'tag: |').replace('fleet/app', 'fleet/missing');
    const answer = await completeFromRegistry(completionSiteAt(...at(text))!, factsFor(ctx.client), []);
    assert.equal(answer.choices.length, 0);
    assert.match(answer.problem ?? '', /fleet\/missing/);
  });

  test('completion answers within 100 ms from the cache, and within one listing otherwise', async (t) => {
    const facts = factsFor(ctx.client);
    const site = completionSiteAt(...at(oci(ctx.registry.host, 'tag: |')))!;
    const cold = performance.now();
    await completeFromRegistry(site, facts, []);
    const coldMs = performance.now() - cold;
    const warm = performance.now();
    const answer = await completeFromRegistry(site, facts, []);
    const warmMs = performance.now() - warm;
    t.diagnostic(`cold (one tag listing) ${coldMs.toFixed(1)} ms, from cache ${warmMs.toFixed(2)} ms`);
    assert.equal(answer.choices.length, 6);
    assert.ok(warmMs < 100, `${warmMs} ms from the cache`);
    assert.ok(coldMs < 2000, `${coldMs} ms for one listing`);
  });

  test('the semver preview names the tag Flux picks and the matching versions newest first', async () => {
    const text = oci(ctx.registry.host, 'semver: ">=1.10.0-0"');
    const [site] = semverSites(text);
    const tags = await factsFor(ctx.client).tags(site.repo);
    const preview = previewSemver(site, tags);
    assert.equal(preview.resolution.winner, 'v2.0.0');
    assert.equal(preview.title, 'Flux picks v2.0.0 (3 matching: v2.0.0, 1.10.1-rc.1, 1.10.0)');
    assert.match(preview.markdown, /Flux \(OCIRepository ref\.semver\)/);
  });

  test('the semver preview of an Argo CD Helm-OCI range says Argo CD and counts the _ build as a version', async () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: app
spec:
  source:
    repoURL: ${ctx.registry.host}/fleet
    chart: app
    targetRevision: ">=2.0.0"
`;
    const [site] = semverSites(text);
    const preview = previewSemver(site, await factsFor(ctx.client).tags(site.repo));
    assert.equal(preview.resolution.winner, '2.0.0_build.1');
    assert.match(preview.markdown, /Argo CD \(targetRevision\)/);
  });

  test('a cold completion costs one request to the registry (the tag listing), a warm one none', async (t) => {
    const proxy = await new FaultProxy(ctx.registry.host, () => 'pass').start();
    const client = new Client();
    try {
      const facts = factsFor(client);
      const site = completionSiteAt(...at(oci(proxy.host, 'tag: |')))!;
      const cold = performance.now();
      const answer = await completeFromRegistry(site, facts, []);
      const coldMs = performance.now() - cold;
      const beforeAnswer = proxy.seen.length;
      const requests = proxy.seen.slice(0, beforeAnswer).map((r) => `${r.method} ${r.url.replace(/\?.*$/, '')}`);
      assert.equal(answer.choices.length, 6);
      assert.deepEqual(
        requests.filter((r) => !r.endsWith('/v2/')),
        ['GET /v2/fleet/app/tags/list'],
      );
      // The details were asked for in the background, after the answer.
      await Promise.all(answer.choices.map((c) => facts.detail({ host: proxy.host, repository: 'fleet/app' }, c.label)));
      const settled = proxy.seen.length;
      const warm = performance.now();
      const again = await completeFromRegistry(site, facts, []);
      const warmMs = performance.now() - warm;
      assert.equal(proxy.seen.length, settled, 'a warm completion asks the registry nothing');
      assert.equal(again.incomplete, false);
      assert.ok(warmMs < 100, `${warmMs} ms`);
      t.diagnostic(
        `through a proxy: cold ${coldMs.toFixed(1)} ms (${requests.length} request(s)), warm ${warmMs.toFixed(2)} ms (0 requests)`,
      );
    } finally {
      await client.close();
      await proxy.stop();
    }
  });
});
