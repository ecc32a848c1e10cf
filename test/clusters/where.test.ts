// `oci-gitops where`: every consumer in every kubeconfig context, against a real registry (CNCF
// Distribution) whose tag 1.2.0 has moved on since staging reconciled it. The clusters are API
// doubles: prod-eu (token, a forbidden namespace), staging (exec plugin), one refusing
// connections and one that never answers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { OciClient, parseReference } from '../../src/oci';
import { pushArtifact } from '../integration/fixtures';
import { cli } from '../support/cli';
import {
  argoApplication,
  artifactGenerator,
  externalArtifact,
  helmRelease,
  imageVolumePod,
  kustomization,
  ociRepository,
  RECONCILED_AT,
} from '../support/clusterObjects';
import { startFleet, type Fleet } from '../support/clusterFleet';
import { startRegistry, type RunningRegistry } from '../support/registry';

/** Generous: the test machines are shared, and only the silent context waits for it. */
const CLUSTER_TIMEOUT_S = 6;
const BOTH = ['--context', 'prod-eu', '--context', 'staging'];

interface WhereJson {
  reference: string;
  registryDigest: string | null;
  placements: {
    context: string;
    kind: string;
    namespace: string;
    name: string;
    revision?: string;
    digest?: string;
    standing: string;
    registryDigest?: string;
    ref?: string;
    volume?: string;
    note?: string;
    verified?: { status: string };
    health?: string;
    workloads: { kind: string; name: string; revision?: string; digest?: string; generator?: string }[];
  }[];
  contexts: { context: string; read: boolean; error?: string; forbidden: { namespace: string }[] }[];
}

describe('oci-gitops where', () => {
  let registry: RunningRegistry;
  let fleet: Fleet;
  let repository: string;
  let OLD: string;
  let NEW: string;
  let PREVIOUS: string;
  const where = (...args: string[]) =>
    cli(['where', ...args, '--kubeconfig', fleet.kubeconfigFile, '--cluster-timeout', String(CLUSTER_TIMEOUT_S)]);

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    repository = `${registry.host}/team/web`;
    const client = new OciClient();
    const repo = client.repository(parseReference(repository));
    PREVIOUS = (await pushArtifact(repo, '1.1.0', { files: { 'app.yaml': 'replicas: 1\n' } })).digest;
    OLD = (await pushArtifact(repo, '1.2.0', { files: { 'app.yaml': 'replicas: 2\n' } })).digest;
    // The tag moves on after staging reconciled it: staging now runs 1.2.0's former digest.
    NEW = (await pushArtifact(repo, '1.2.0', { files: { 'app.yaml': 'replicas: 3\n' } })).digest;
    await client.close();
    fleet = await startFleet({
      unreachable: true,
      prod: [
        ociRepository({ namespace: 'apps', name: 'web', repository, tag: '1.2.0', digest: NEW, verified: true }),
        kustomization({ namespace: 'apps', name: 'web', source: 'web', revision: `1.2.0@${NEW}` }),
        ociRepository({ namespace: 'payments', name: 'web', repository, tag: '1.2.0', digest: OLD }),
        argoApplication({ namespace: 'argocd', name: 'web', repository, targetRevision: '1.1.0', digest: PREVIOUS }),
      ],
      staging: [
        ociRepository({ namespace: 'apps', name: 'web', repository, tag: '1.2.0', digest: OLD }),
        helmRelease({ namespace: 'apps', name: 'web', ociRepository: 'web', chartVersion: '1.2.0', ociDigest: OLD }),
        ociRepository({ namespace: 'apps', name: 'other', repository: `${registry.host}/team/other`, tag: '1.0.0', digest: OLD }),
      ],
    });
  });
  after(async () => {
    await fleet?.stop();
    await registry?.stop();
  });

  test('--json lists every consumer of the tag in both clusters, current and behind, with both digests', async () => {
    const { code, stdout } = await where(`${repository}:1.2.0`, '--json', ...BOTH);
    assert.equal(code, 0);
    const answer = JSON.parse(stdout) as WhereJson;
    assert.equal(answer.registryDigest, NEW);
    const rows = answer.placements.map((p) => [p.context, p.kind, `${p.namespace}/${p.name}`, p.digest, p.standing]);
    assert.deepEqual(rows, [
      ['prod-eu', 'Application', 'argocd/web', PREVIOUS, 'other'],
      ['prod-eu', 'OCIRepository', 'apps/web', NEW, 'current'],
      ['staging', 'OCIRepository', 'apps/web', OLD, 'behind'],
    ]);
    const behind = answer.placements.find((p) => p.standing === 'behind')!;
    assert.equal(behind.registryDigest, NEW, 'the digest the tag has now, next to the one it runs');
    assert.equal(behind.revision, `1.2.0@${OLD}`);
    assert.deepEqual(
      behind.workloads.map((w) => `${w.kind}/${w.name}`),
      ['HelmRelease/web'],
    );
    assert.equal(answer.placements.find((p) => p.standing === 'current')!.verified?.status, 'True');
  });

  test('an unreachable context and a silent one are reported, not fatal', async () => {
    const { code, stdout, stderr } = await where(`${repository}:1.2.0`, '--json');
    assert.equal(code, 3, 'the exit code of an answer with contexts left unread');
    const answer = JSON.parse(stdout) as WhereJson;
    assert.equal(answer.placements.length, 3, 'the contexts read are still listed');
    const read = Object.fromEntries(answer.contexts.map((c) => [c.context, c.read]));
    assert.deepEqual(read, { 'prod-eu': true, staging: true, decommissioned: false, blackhole: false });
    assert.match(stderr, /context decommissioned not read: .*cannot be reached: .*ECONNREFUSED/);
    assert.match(stderr, /context blackhole not read: no answer within 6 s/);
  });

  test('a forbidden namespace is reported on stderr and in the JSON, and what it holds is not listed', async () => {
    const { stdout, stderr } = await where(`${repository}:1.2.0`, '--json', '--context', 'prod-eu');
    const answer = JSON.parse(stdout) as WhereJson;
    assert.deepEqual(
      answer.contexts[0].forbidden.map((f) => f.namespace),
      ['payments'],
    );
    assert.ok(!answer.placements.some((p) => p.namespace === 'payments'));
    assert.match(stderr, /context prod-eu: namespace payments is forbidden to this user \(OCIRepository, .*\)/);
  });

  test('without a tag each consumer is compared with what its own tag is now', async () => {
    const { code, stdout, stderr } = await where(repository, '--json', ...BOTH);
    assert.equal(code, 0, `every context asked for was read: ${stderr}`);
    const answer = JSON.parse(stdout) as WhereJson;
    assert.equal(answer.registryDigest, null);
    assert.deepEqual(
      answer.placements.map((p) => [p.context, p.kind, p.standing, p.registryDigest]),
      [
        ['prod-eu', 'Application', 'current', PREVIOUS],
        ['prod-eu', 'OCIRepository', 'current', NEW],
        ['staging', 'OCIRepository', 'behind', NEW],
      ],
    );
  });

  test('with a digest, what runs it is current and everything else is other', async () => {
    const { stdout } = await where(`${repository}@${OLD}`, '--json', ...BOTH);
    const answer = JSON.parse(stdout) as WhereJson;
    assert.equal(answer.registryDigest, OLD);
    assert.deepEqual(
      answer.placements.map((p) => [p.context, p.kind, p.standing]),
      [
        ['prod-eu', 'Application', 'other'],
        ['prod-eu', 'OCIRepository', 'other'],
        ['staging', 'OCIRepository', 'current'],
      ],
    );
  });

  test('the text output is a table, a behind source showing both digests', async () => {
    const { stdout } = await where(`${repository}:1.2.0`, '--context', 'staging');
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines[0], `${repository}:1.2.0 is ${NEW} in the registry`);
    assert.match(lines[1], /^CONTEXT\s+SOURCE\s+REVISION\s+STANDING\s+STATUS\s+LAST RECONCILED$/);
    assert.match(
      lines[2],
      new RegExp(`^staging\\s+OCIRepository apps/web\\s+1\\.2\\.0@${OLD}\\s+behind \\(registry: ${NEW}\\)\\s+Ready=True`),
    );
    assert.match(lines[3], /^ {4}HelmRelease apps\/web {2}1\.2\.0 {2}Ready=True$/);
  });

  test('a repository nothing uses says so for the contexts read', async () => {
    const { code, stdout } = await where(`${registry.host}/team/unused`, ...BOTH);
    assert.equal(code, 0);
    assert.equal(stdout, `Nothing in prod-eu, staging uses ${registry.host}/team/unused\n`);
  });

  test('KUBECONFIG is read when --kubeconfig is not given', async () => {
    const { code, stdout } = await cli(['where', repository, '--json', '--context', 'staging'], { KUBECONFIG: fleet.kubeconfigFile });
    assert.equal(code, 0);
    assert.equal((JSON.parse(stdout) as WhereJson).placements.length, 1);
  });

  test('an unknown context is an error that names the contexts there are', async () => {
    const { code, stderr } = await where(repository, '--context', 'prod-us');
    assert.equal(code, 1);
    assert.match(stderr, /^oci-gitops: No context "prod-us" in the kubeconfig .*; it has prod-eu, staging, decommissioned, blackhole\n$/);
  });
});

describe('oci-gitops where: image volumes and generated artifacts', () => {
  let registry: RunningRegistry;
  let fleet: Fleet;
  let repository: string;
  let DIGEST: string;
  const where = (...args: string[]) =>
    cli(['where', ...args, '--kubeconfig', fleet.kubeconfigFile, '--cluster-timeout', String(CLUSTER_TIMEOUT_S), '--context', 'prod-eu']);

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    repository = `${registry.host}/team/rules`;
    const client = new OciClient();
    DIGEST = (await pushArtifact(client.repository(parseReference(repository)), '2.1.0', { files: { 'rules.yaml': 'deny: []\n' } })).digest;
    await client.close();
    fleet = await startFleet({
      staging: [],
      prod: [
        imageVolumePod({ namespace: 'apps', name: 'reporter', reference: `${repository}:2.1.0`, imageRef: `${repository}@${DIGEST}` }),
        imageVolumePod({ namespace: 'apps', name: 'legacy', reference: `${repository}:2.1.0` }),
        ociRepository({ namespace: 'apps', name: 'rules', repository, tag: '2.1.0', digest: DIGEST }),
        artifactGenerator({ namespace: 'apps', name: 'rules', ociRepository: 'rules', artifact: 'rules-prod', revisionFromSource: true }),
        externalArtifact({ namespace: 'apps', name: 'rules-prod', generator: 'rules', revision: `2.1.0@${DIGEST}` }),
      ],
    });
  });
  after(async () => {
    await fleet?.stop();
    await registry?.stop();
  });

  test('a Pod whose image volume the kubelet reports running the digest is a current consumer', async () => {
    const { stdout } = await where(`${repository}:2.1.0`, '--json');
    const reporter = (JSON.parse(stdout) as WhereJson).placements.find((p) => p.name === 'reporter')!;
    assert.deepEqual(
      [reporter.kind, reporter.namespace, reporter.volume, reporter.ref, reporter.digest, reporter.standing],
      ['Pod', 'apps', 'config', `${repository}:2.1.0`, DIGEST, 'current'],
    );
  });

  test('a Pod whose kubelet reports no image-volume digest is listed with its reference, standing unknown, saying so', async () => {
    const { stdout } = await where(`${repository}:2.1.0`, '--json');
    const legacy = (JSON.parse(stdout) as WhereJson).placements.find((p) => p.name === 'legacy')!;
    assert.equal(legacy.ref, `${repository}:2.1.0`);
    assert.equal(legacy.digest, undefined);
    assert.equal(legacy.standing, 'unknown');
    assert.match(legacy.note!, /^digest not reported/);
  });

  test('an ExternalArtifact generated from an OCIRepository is listed under it with its revision', async () => {
    const { stdout } = await where(`${repository}:2.1.0`, '--json');
    const source = (JSON.parse(stdout) as WhereJson).placements.find((p) => p.kind === 'OCIRepository')!;
    assert.deepEqual(source.workloads, [
      {
        kind: 'ExternalArtifact',
        namespace: 'apps',
        name: 'rules-prod',
        revision: `2.1.0@${DIGEST}`,
        digest: DIGEST,
        ready: { status: 'True', reason: 'Succeeded', message: `stored artifact with revision '2.1.0@${DIGEST}'` },
        lastReconciled: RECONCILED_AT,
        generator: 'apps/rules',
      },
    ]);
  });

  test('the text output names the image volume and shows the reference when no digest is reported', async () => {
    const { stdout } = await where(`${repository}:2.1.0`);
    assert.match(
      stdout,
      new RegExp(`^prod-eu\\s+Pod apps/legacy volume config\\s+${repository}:2\\.1\\.0\\s+unknown \\(digest not reported`, 'm'),
    );
    assert.match(stdout, new RegExp(`^ {4}ExternalArtifact apps/rules-prod {2}2\\.1\\.0@${DIGEST} {2}Ready=True$`, 'm'));
  });
});
