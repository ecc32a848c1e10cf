// Reading every kubeconfig context's OCI sources (src/clusters): two clusters at once, one that
// refuses connections, one that never answers, a forbidden namespace, an exec plugin whose token
// expires, the brief cache and its refresh, and the only write (the reconcile request).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClusterReader, loadKubeconfig } from '../../src/clusters';
import {
  argoApplication,
  artifactGenerator,
  externalArtifact,
  helmRelease,
  helmRepository,
  imageVolumePod,
  kustomization,
  ociRepository,
  pod,
  RECONCILED_AT,
} from '../support/clusterObjects';
import { startFleet, type Fleet } from '../support/clusterFleet';
import { kubeconfig } from '../support/kubeApiDouble';

const NEW = 'sha256:' + '2'.repeat(64);
const OLD = 'sha256:' + '1'.repeat(64);
/** The hash of an ExternalArtifact's files: not a manifest digest. */
const CONTENT = 'sha256:' + '3'.repeat(64);
/** Generous: the test machines are shared; only the silent context waits for it. */
const TIMEOUT_MS = 5000;

const prodObjects = () => [
  ociRepository({ namespace: 'apps', name: 'web', repository: 'registry.example/team/web', tag: '1.2.0', digest: NEW, verified: true }),
  kustomization({ namespace: 'apps', name: 'web', source: 'web', revision: `1.2.0@${NEW}` }),
  ociRepository({ namespace: 'payments', name: 'billing', repository: 'registry.example/team/billing', tag: '3.0.0', digest: NEW }),
  helmRepository({ namespace: 'apps', name: 'charts', url: 'registry.example/charts' }),
  helmRelease({
    namespace: 'apps',
    name: 'podinfo',
    helmRepository: { name: 'charts', chart: 'podinfo', version: '6.x' },
    chartVersion: '6.5.0+build.1',
  }),
  argoApplication({
    namespace: 'argocd',
    name: 'shop',
    repository: 'registry.example/team/shop',
    targetRevision: '2.0.0',
    digest: NEW,
    health: 'Degraded',
  }),
  ociRepository({ namespace: 'apps', name: 'docs', repository: 'registry.example/team/docs', tag: '4.0.0', digest: NEW }),
  artifactGenerator({ namespace: 'apps', name: 'docs-pinned', ociRepository: 'docs', artifact: 'docs-pinned', revisionFromSource: true }),
  externalArtifact({ namespace: 'apps', name: 'docs-pinned', generator: 'docs-pinned', revision: `4.0.0@${NEW}` }),
  artifactGenerator({ namespace: 'apps', name: 'docs-bundle', ociRepository: 'docs', artifact: 'docs-bundle' }),
  externalArtifact({ namespace: 'apps', name: 'docs-bundle', generator: 'docs-bundle', revision: `latest@${CONTENT}` }),
  imageVolumePod({
    namespace: 'apps',
    name: 'reporter',
    reference: 'registry.example/team/rules:2.1.0',
    imageRef: `registry.example/team/rules@${NEW}`,
  }),
  imageVolumePod({ namespace: 'apps', name: 'legacy', reference: 'registry.example/team/rules:2.1.0' }),
  pod({ namespace: 'apps', name: 'plain' }),
];
const stagingObjects = () => [
  ociRepository({ namespace: 'apps', name: 'web', repository: 'registry.example/team/web', tag: '1.2.0', digest: OLD, ready: false }),
  helmRelease({ namespace: 'apps', name: 'web-chart', ociRepository: 'web', chartVersion: '1.2.0', ociDigest: OLD }),
];

describe('the clusters of a kubeconfig', () => {
  let fleet: Fleet;
  let reader: ClusterReader;
  before(async () => {
    fleet = await startFleet({ prod: prodObjects(), staging: stagingObjects(), unreachable: true });
    reader = new ClusterReader({ file: fleet.kubeconfigFile, env: {}, timeoutMs: TIMEOUT_MS });
  });
  after(() => fleet?.stop());

  test('every context of the kubeconfig is listed with its server', async () => {
    const contexts = await reader.contexts();
    assert.deepEqual(
      contexts.map((c) => c.name),
      ['prod-eu', 'staging', 'decommissioned', 'blackhole'],
    );
    assert.equal(contexts[0].server, fleet.prod.url);
    assert.equal(await reader.currentContext(), 'prod-eu');
  });

  test("both clusters' OCIRepositories come with the revision, Ready, verification and last reconcile", async () => {
    const [prod, staging] = await reader.read(['prod-eu', 'staging']);
    const web = prod.sources.find((s) => s.kind === 'OCIRepository' && s.name === 'web')!;
    assert.equal(web.revision, `1.2.0@${NEW}`);
    assert.equal(web.tag, '1.2.0');
    assert.equal(web.digest, NEW);
    assert.equal(web.registry, 'registry.example');
    assert.equal(web.repository, 'team/web');
    assert.equal(web.ready?.status, 'True');
    assert.equal(web.verified?.status, 'True');
    assert.equal(web.lastReconciled, RECONCILED_AT);
    assert.deepEqual(
      web.workloads.map((w) => [w.kind, w.name, w.revision]),
      [['Kustomization', 'web', `1.2.0@${NEW}`]],
    );
    const stagingWeb = staging.sources.find((s) => s.kind === 'OCIRepository')!;
    assert.equal(stagingWeb.digest, OLD);
    assert.equal(stagingWeb.ready?.status, 'False');
    assert.equal(stagingWeb.verified, undefined, 'no spec.verify, no SourceVerified condition');
    assert.deepEqual(
      stagingWeb.workloads.map((w) => [w.kind, w.name, w.digest]),
      [['HelmRelease', 'web-chart', OLD]],
    );
  });

  test('an Argo CD Application with an oci:// source comes with its synced digest and health', async () => {
    const [prod] = await reader.read(['prod-eu']);
    const shop = prod.sources.find((s) => s.kind === 'Application')!;
    assert.equal(shop.url, 'oci://registry.example/team/shop');
    assert.equal(shop.ref, '2.0.0');
    assert.equal(shop.digest, NEW);
    assert.equal(shop.health, 'Degraded');
    assert.equal(shop.sync, 'Synced');
    assert.equal(shop.lastReconciled, RECONCILED_AT);
  });

  test("an OCI HelmRepository is seen through its HelmReleases: the chart's repository and the version deployed", async () => {
    const [prod] = await reader.read(['prod-eu']);
    const chart = prod.sources.find((s) => s.kind === 'HelmRepository')!;
    assert.equal(chart.url, 'oci://registry.example/charts/podinfo');
    assert.equal(chart.repository, 'charts/podinfo');
    assert.equal(chart.revision, '6.5.0+build.1');
    assert.equal(chart.tag, '6.5.0_build.1', 'Helm spells + as _ in OCI tags');
    assert.deepEqual(
      chart.workloads.map((w) => w.name),
      ['podinfo'],
    );
  });

  test('an ExternalArtifact an ArtifactGenerator builds from an OCIRepository is listed under it with its revision', async () => {
    const [prod] = await reader.read(['prod-eu']);
    const docs = prod.sources.find((s) => s.kind === 'OCIRepository' && s.name === 'docs')!;
    const pinned = docs.workloads.find((w) => w.name === 'docs-pinned')!;
    assert.equal(pinned.kind, 'ExternalArtifact');
    assert.equal(pinned.revision, `4.0.0@${NEW}`);
    assert.equal(pinned.digest, NEW, 'revision "@config" takes the OCIRepository\'s revision, manifest digest included');
    assert.equal(pinned.generator, 'apps/docs-pinned');
    assert.equal(pinned.ready?.status, 'True');
    assert.equal(pinned.lastReconciled, RECONCILED_AT);
  });

  test("an ExternalArtifact revised by its content hash keeps that revision but is not taken for the source's digest", async () => {
    const [prod] = await reader.read(['prod-eu']);
    const docs = prod.sources.find((s) => s.kind === 'OCIRepository' && s.name === 'docs')!;
    const bundle = docs.workloads.find((w) => w.name === 'docs-bundle')!;
    assert.equal(bundle.revision, `latest@${CONTENT}`);
    assert.equal(bundle.digest, undefined);
  });

  test('a Pod image volume whose digest the kubelet reports comes with the reference as written and that digest', async () => {
    const [prod] = await reader.read(['prod-eu']);
    const reporter = prod.sources.find((s) => s.kind === 'Pod' && s.name === 'reporter')!;
    assert.equal(reporter.volume, 'config');
    assert.equal(reporter.ref, 'registry.example/team/rules:2.1.0');
    assert.equal(reporter.registry, 'registry.example');
    assert.equal(reporter.repository, 'team/rules');
    assert.equal(reporter.tag, '2.1.0');
    assert.equal(reporter.digest, NEW);
    assert.equal(reporter.revision, `registry.example/team/rules@${NEW}`);
  });

  test('a Pod image volume from a kubelet that reports no digest has its reference and no digest', async () => {
    const [prod] = await reader.read(['prod-eu']);
    const legacy = prod.sources.find((s) => s.kind === 'Pod' && s.name === 'legacy')!;
    assert.equal(legacy.tag, '2.1.0');
    assert.equal(legacy.digest, undefined);
    assert.equal(legacy.revision, undefined);
  });

  test('a Pod without image volumes is not a source', async () => {
    const [prod] = await reader.read(['prod-eu']);
    assert.ok(!prod.sources.some((s) => s.name === 'plain'));
  });

  test('a forbidden namespace is reported with the kinds refused there, and the rest is read', async () => {
    const [prod] = await reader.read(['prod-eu']);
    assert.equal(prod.error, undefined);
    assert.deepEqual(prod.forbidden, [
      {
        namespace: 'payments',
        kinds: [
          'OCIRepository',
          'HelmRepository',
          'Kustomization',
          'HelmRelease',
          'Application',
          'ArtifactGenerator',
          'ExternalArtifact',
          'Pod',
        ],
      },
    ]);
    assert.ok(!prod.sources.some((s) => s.namespace === 'payments'));
    assert.ok(prod.sources.some((s) => s.namespace === 'apps'));
  });

  test('an unreachable cluster and a silent one are reported without holding back the others', async () => {
    reader.refresh();
    const started = Date.now();
    const readings = await reader.read();
    const elapsed = Date.now() - started;
    const byName = new Map(readings.map((r) => [r.context, r]));
    assert.match(byName.get('decommissioned')!.error!, /cannot be reached: .*ECONNREFUSED/);
    assert.match(byName.get('blackhole')!.error!, /no answer within 5 s/);
    assert.equal(byName.get('prod-eu')!.error, undefined);
    assert.equal(byName.get('staging')!.error, undefined);
    assert.ok(byName.get('prod-eu')!.elapsedMs < TIMEOUT_MS, `prod-eu took ${byName.get('prod-eu')!.elapsedMs} ms`);
    assert.ok(elapsed < TIMEOUT_MS + 1000, `the whole read took ${elapsed} ms, more than one context's deadline`);
  });

  test('a reading is reused within the cache time and asked again after refresh', async () => {
    reader.refresh();
    await reader.read(['prod-eu']);
    const asked = fleet.prod.requests.length;
    await reader.read(['prod-eu']);
    assert.equal(fleet.prod.requests.length, asked, 'the second read came from the cache');
    reader.refresh();
    await reader.read(['prod-eu']);
    assert.ok(fleet.prod.requests.length > asked, 'refresh asked the cluster again');
  });

  test('an unknown context is refused, naming the contexts there are', async () => {
    await assert.rejects(
      reader.read(['nope']),
      /No context "nope" in the kubeconfig .*; it has prod-eu, staging, decommissioned, blackhole/,
    );
  });

  test('reconcile sets requestedAt on an OCIRepository and refresh=normal on an Application, nothing else', async () => {
    const now = new Date('2026-12-06T12:00:00.000Z');
    const value = await reader.reconcile(
      { context: 'prod-eu', kind: 'OCIRepository', apiVersion: 'source.toolkit.fluxcd.io/v1', namespace: 'apps', name: 'web' },
      now,
    );
    assert.equal(value, '2026-12-06T12:00:00.000Z');
    const web = fleet.prod.objects.find((o) => o.kind === 'OCIRepository' && o.metadata.name === 'web')!;
    assert.deepEqual(web.metadata.annotations, { 'reconcile.fluxcd.io/requestedAt': '2026-12-06T12:00:00.000Z' });
    await reader.reconcile({
      context: 'prod-eu',
      kind: 'Application',
      apiVersion: 'argoproj.io/v1alpha1',
      namespace: 'argocd',
      name: 'shop',
    });
    const shop = fleet.prod.objects.find((o) => o.kind === 'Application')!;
    assert.deepEqual(shop.metadata.annotations, { 'argocd.argoproj.io/refresh': 'normal' });
    const writes = fleet.prod.requests.filter((r) => r.method !== 'GET');
    assert.deepEqual(
      writes.map((r) => `${r.method} ${r.path}`),
      [
        'PATCH /apis/source.toolkit.fluxcd.io/v1/namespaces/apps/ocirepositories/web',
        'PATCH /apis/argoproj.io/v1alpha1/namespaces/argocd/applications/shop',
      ],
    );
  });
});

describe('an exec credential plugin whose token expires', () => {
  let fleet: Fleet;
  before(async () => {
    fleet = await startFleet({ prod: [], staging: stagingObjects(), tokenSeconds: 1 });
  });
  after(() => fleet?.stop());

  test('runs once while its token is valid and again once it has expired', async () => {
    const reader = new ClusterReader({ file: fleet.kubeconfigFile, env: {}, timeoutMs: 5000 });
    const first = await reader.readContext('staging');
    assert.equal(first.error, undefined);
    reader.refresh();
    // A new reader shares nothing; the same reader keeps the token until its expirationTimestamp.
    const again = await reader.readContext('staging');
    assert.equal(again.error, undefined);
    const runsWhileValid = fleet.execRuns();
    await sleep(1200);
    reader.refresh();
    const afterExpiry = await reader.readContext('staging');
    assert.equal(afterExpiry.error, undefined, 'the expired token was replaced, not sent');
    assert.equal(afterExpiry.sources.length, 1);
    assert.equal(fleet.execRuns(), runsWhileValid + 1);
    const tokens = new Set(fleet.staging.requests.map((r) => r.token));
    assert.equal(tokens.size, runsWhileValid + 1, 'one token per plugin run');
  });
});

describe('KUBECONFIG with several files', () => {
  let fleet: Fleet;
  before(async () => {
    fleet = await startFleet({ prod: [], staging: [] });
  });
  after(() => fleet?.stop());

  test('merges the files in order, the first definition of a name winning, missing files skipped', async () => {
    const second = join(fleet.dir, 'second');
    writeFileSync(
      second,
      kubeconfig(
        [
          { name: 'prod-eu', server: 'https://127.0.0.1:1', caFile: fleet.prod.caFile, token: 'shadowed' },
          { name: 'dev', server: fleet.prod.url, caFile: fleet.prod.caFile, token: fleet.prod.token },
        ],
        'dev',
      ),
    );
    const config = await loadKubeconfig({ env: { KUBECONFIG: [fleet.kubeconfigFile, join(fleet.dir, 'absent'), second].join(':') } });
    assert.deepEqual(
      config.contexts.map((c) => [c.name, c.server]),
      [
        ['prod-eu', fleet.prod.url],
        ['staging', fleet.staging.url],
        ['dev', fleet.prod.url],
      ],
    );
    assert.equal(config.current, 'prod-eu', 'current-context of the first file that sets one');
  });

  test('no kubeconfig at all is a clear error that says where it looked', async () => {
    await assert.rejects(
      loadKubeconfig({ env: { KUBECONFIG: join(fleet.dir, 'nothing-here') } }),
      /No kubeconfig found \(looked at .*nothing-here\)/,
    );
  });
});
