// The API double (test/support/kubeApiDouble.ts) read by Debian's kubectl, an independent client:
// what the cluster tests rely on is only as good as the double's wire format, so kubectl's own
// discovery, REST mapping, list decoding and merge patch must accept it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import {
  argoApplication,
  artifactGenerator,
  externalArtifact,
  imageVolumePod,
  kustomization,
  ociRepository,
} from '../support/clusterObjects';
import { kubeconfig, startKubeApiDouble, type KubeApiDouble } from '../support/kubeApiDouble';

const run = promisify(execFile);
const DIGEST = 'sha256:' + '1'.repeat(64);

describe('the Kubernetes API double, read by kubectl', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-double-'));
  let api: KubeApiDouble;
  let config: string;
  const kubectl = (...args: string[]) =>
    run('kubectl', ['--kubeconfig', config, '--cache-dir', join(dir, 'cache'), ...args], { env: { ...process.env, HOME: dir } });

  before(async () => {
    api = await startKubeApiDouble({
      name: 'prod',
      dir,
      forbiddenNamespaces: ['payments'],
      objects: [
        ociRepository({
          namespace: 'apps',
          name: 'web',
          repository: 'registry.example/team/web',
          tag: '1.2.0',
          digest: DIGEST,
          verified: true,
        }),
        kustomization({ namespace: 'apps', name: 'web', source: 'web', revision: `1.2.0@${DIGEST}` }),
        artifactGenerator({ namespace: 'apps', name: 'web', ociRepository: 'web', artifact: 'web-prod', revisionFromSource: true }),
        externalArtifact({ namespace: 'apps', name: 'web-prod', generator: 'web', revision: `1.2.0@${DIGEST}` }),
        imageVolumePod({
          namespace: 'apps',
          name: 'reporter',
          reference: 'registry.example/team/web:1.2.0',
          imageRef: `registry.example/team/web@${DIGEST}`,
        }),
        argoApplication({
          namespace: 'argocd',
          name: 'shop',
          repository: 'registry.example/team/shop',
          targetRevision: '2.0.0',
          digest: DIGEST,
        }),
      ],
    });
    config = join(dir, 'kubeconfig');
    writeFileSync(config, kubeconfig([{ name: 'prod', server: api.url, caFile: api.caFile, token: api.token }]));
  });
  after(() => api?.stop());

  test('kubectl lists OCIRepositories in one namespace with the status source-controller writes', async () => {
    const { stdout } = await kubectl('get', 'ocirepositories', '-n', 'apps', '-o', 'json');
    const list = JSON.parse(stdout) as { kind: string; items: { apiVersion: string; status: { artifact: { revision: string } } }[] };
    assert.equal(list.kind, 'List');
    assert.equal(list.items.length, 1);
    assert.equal(list.items[0].apiVersion, 'source.toolkit.fluxcd.io/v1');
    assert.equal(list.items[0].status.artifact.revision, `1.2.0@${DIGEST}`);
  });

  test('kubectl get ocirepositories -A meets the forbidden namespace as a 403 it reports', async () => {
    await assert.rejects(kubectl('get', 'ocirepositories', '-A', '-o', 'json'), (error: { stderr: string }) => {
      assert.match(
        error.stderr,
        /ocirepositories\.source\.toolkit\.fluxcd\.io is forbidden: User "prod" cannot list resource "ocirepositories"/,
      );
      return true;
    });
  });

  test('kubectl get ocirepositories -A -o json against a double with no forbidden namespace', async () => {
    const open = await startKubeApiDouble({ name: 'open', dir, objects: api.objects });
    try {
      const openConfig = join(dir, 'open-kubeconfig');
      writeFileSync(openConfig, kubeconfig([{ name: 'open', server: open.url, caFile: open.caFile, token: open.token }]));
      const { stdout } = await run(
        'kubectl',
        ['--kubeconfig', openConfig, '--cache-dir', join(dir, 'cache-open'), 'get', 'ocirepositories', '-A', '-o', 'json'],
        {
          env: { ...process.env, HOME: dir },
        },
      );
      const list = JSON.parse(stdout) as { items: { metadata: { namespace: string; name: string } }[] };
      assert.deepEqual(
        list.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`),
        ['apps/web'],
      );
      assert.ok(
        open.requests.some((r) => r.path.startsWith('/apis/source.toolkit.fluxcd.io/v1/ocirepositories') && r.token === open.token),
      );
    } finally {
      await open.stop();
    }
  });

  test('kubectl resolves the short names and reads Argo CD Applications and Kustomizations', async () => {
    const app = JSON.parse((await kubectl('get', 'app', 'shop', '-n', 'argocd', '-o', 'json')).stdout) as {
      status: { sync: { revision: string }; health: { status: string } };
    };
    assert.equal(app.status.sync.revision, DIGEST);
    assert.equal(app.status.health.status, 'Healthy');
    const ks = JSON.parse((await kubectl('get', 'ks', 'web', '-n', 'apps', '-o', 'json')).stdout) as {
      status: { lastAppliedRevision: string };
    };
    assert.equal(ks.status.lastAppliedRevision, `1.2.0@${DIGEST}`);
  });

  test("kubectl reads source-watcher's ArtifactGenerator and ExternalArtifact and a Pod's image-volume status", async () => {
    const generator = JSON.parse(
      (await kubectl('get', 'artifactgenerators.source.extensions.fluxcd.io', 'web', '-n', 'apps', '-o', 'json')).stdout,
    ) as {
      status: { inventory: { name: string }[] };
    };
    assert.deepEqual(
      generator.status.inventory.map((i) => i.name),
      ['web-prod'],
    );
    const artifact = JSON.parse((await kubectl('get', 'externalartifacts', 'web-prod', '-n', 'apps', '-o', 'json')).stdout) as {
      status: { artifact: { revision: string } };
    };
    assert.equal(artifact.status.artifact.revision, `1.2.0@${DIGEST}`);
    const { stdout } = await kubectl(
      'get',
      'pod',
      'reporter',
      '-n',
      'apps',
      '-o',
      'jsonpath={.spec.volumes[0].image.reference} {.status.containerStatuses[0].volumeMounts[0].volumeStatus.image.imageRef}',
    );
    assert.equal(stdout, `registry.example/team/web:1.2.0 registry.example/team/web@${DIGEST}`);
  });

  test('kubectl annotate sends a merge patch the double applies', async () => {
    await kubectl('annotate', '--overwrite', 'ocirepository', 'web', '-n', 'apps', 'reconcile.fluxcd.io/requestedAt=2026-12-06T10:00:00Z');
    const stored = api.objects.find((o) => o.kind === 'OCIRepository')!;
    assert.equal(stored.metadata.annotations?.['reconcile.fluxcd.io/requestedAt'], '2026-12-06T10:00:00Z');
  });

  test('a wrong token is refused with 401, which kubectl reports as unauthorised', async () => {
    const wrong = join(dir, 'wrong-kubeconfig');
    writeFileSync(wrong, kubeconfig([{ name: 'prod', server: api.url, caFile: api.caFile, token: 'not-the-token' }]));
    await assert.rejects(
      run('kubectl', ['--kubeconfig', wrong, '--cache-dir', join(dir, 'cache-wrong'), 'get', 'ocirepositories', '-n', 'apps'], {
        env: { ...process.env, HOME: dir },
      }),
      (error: { stderr: string }) => /Unauthorized|must be logged in/.test(error.stderr),
    );
  });

  test('once stopped the double is unreachable', async () => {
    const gone = await startKubeApiDouble({ name: 'gone', dir });
    await gone.stop();
    const goneConfig = join(dir, 'gone-kubeconfig');
    writeFileSync(goneConfig, kubeconfig([{ name: 'gone', server: gone.url, caFile: gone.caFile, token: gone.token }]));
    await assert.rejects(
      run(
        'kubectl',
        ['--kubeconfig', goneConfig, '--cache-dir', join(dir, 'cache-gone'), 'get', 'ocirepositories', '-A', '--request-timeout', '5s'],
        {
          env: { ...process.env, HOME: dir },
        },
      ),
      (error: { stderr: string }) => /connection refused/.test(error.stderr),
    );
  });
});
