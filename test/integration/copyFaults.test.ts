import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { copyArtifact } from '../../src/artifact/copy';
import { isOciError, OciClient, StaticCredentials, type Descriptor, type RepositoryApi, parseReference } from '../../src/oci';
import { cli } from '../support/cli';
import type { FaultProxy, ProxyAction } from '../support/faultProxy';
import type { RunningRegistry } from '../support/registry';
import { attachedTree, cliWithStdin, startRecordedRegistries, writeDockerConfig, type RecordedRegistries } from './copyFixtures';
import { artifactManifest, patternBytes, pushArtifact } from './fixtures';

/**
 * A copy that fails half-way, and a copy between two registries with different logins, each
 * registry behind a proxy that can fail requests and records the Authorization header of every
 * request it passes on.
 */
describe('copy: failures half-way, and logins kept to their own registry', () => {
  let staging: RunningRegistry;
  let stagingProxy: FaultProxy;
  let productionProxy: FaultProxy;
  let stagingClient: OciClient;
  let productionClient: OciClient;
  let source: RepositoryApi;
  let artifact: Descriptor;
  let layer: Descriptor;
  let bundle: Descriptor;
  let registries: RecordedRegistries | undefined;
  let promoter: RecordedRegistries['promoter'];
  let seen: RecordedRegistries['seen'];
  /** Decides the fate of each request to production; pass by default. */
  let fault: (method: string, url: string) => ProxyAction = () => 'pass';
  const dir = mkdtempSync(join(tmpdir(), 'oci-gitops-copy-faults-'));
  let dockerConfig: string;

  before(async () => {
    registries = await startRecordedRegistries((method, url) => fault(method, url));
    ({ staging, stagingProxy, productionProxy, promoter, seen } = registries);
    stagingClient = new OciClient({ credentials: new StaticCredentials(stagingProxy.host, staging.admin) });
    productionClient = new OciClient({ credentials: new StaticCredentials(productionProxy.host, promoter) });
    dockerConfig = writeDockerConfig(join(dir, 'config.json'), { [stagingProxy.host]: staging.admin, [productionProxy.host]: promoter });
    source = stagingClient.repository(parseReference(`${stagingProxy.host}/team/app`));
    // A 3 MiB layer, so an upload is a real stream; and a referrer that stands for a signature.
    const files = { 'big.yaml': patternBytes(3 * 1024 * 1024, 7).toString('latin1') };
    artifact = await pushArtifact(source, 'v1', { files });
    layer = artifactManifest({ files }).manifest.layers[0];
    bundle = await pushArtifact(source, undefined, {
      artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      subject: artifact,
      files: { 'bundle.json': '{}' },
    });
  });
  after(async () => {
    await stagingClient?.close();
    await productionClient?.close();
    await registries?.stop();
  });

  const prod = (repository: string) => productionClient.repository(parseReference(`${productionProxy.host}/${repository}`));
  const copy = (repository: string, ...more: string[]) =>
    cli([
      'copy',
      `${stagingProxy.host}/team/app:v1`,
      `${productionProxy.host}/${repository}`,
      '--referrers',
      '--docker-config',
      dockerConfig,
      ...more,
    ]);
  const missing = /MANIFEST_UNKNOWN|NAME_UNKNOWN|not found|unknown/i;

  test('a blob upload that fails leaves no manifest and no tag; a referrer that fails leaves no tag; the rerun completes', async () => {
    fault = (method, url) =>
      method === 'PUT' && url.includes('/blobs/uploads/') && url.includes(encodeURIComponent(layer.digest)) ? { status: 500 } : 'pass';
    const blobFailed = await copy('faults/app');
    assert.equal(blobFailed.code, 1);
    assert.match(blobFailed.stderr, new RegExp(`Could not copy blob ${layer.digest} \\(${layer.size} bytes\\)`));
    await assert.rejects(prod('faults/app').resolve('v1'), missing);
    await assert.rejects(prod('faults/app').resolve(artifact.digest), missing, 'the manifest is only pushed once its blobs are there');

    fault = (method, url) => (method === 'PUT' && url.endsWith(`/manifests/${bundle.digest}`) ? { status: 400 } : 'pass');
    const referrerFailed = await copy('faults/app');
    assert.equal(referrerFailed.code, 1);
    assert.match(referrerFailed.stderr, new RegExp(`could not copy signature referrer ${bundle.digest} of ${artifact.digest}`));
    assert.match(referrerFailed.stderr, /1 item not copied, so no tag was set; run the copy again to finish it/);
    assert.match(referrerFailed.stdout, new RegExp(`${artifact.digest}`));
    await assert.rejects(prod('faults/app').resolve('v1'), missing);

    fault = () => 'pass';
    const rerun = await copy('faults/app', '--json');
    assert.equal(rerun.code, 0, rerun.stderr);
    const report = JSON.parse(rerun.stdout);
    assert.equal(report.blobs.copied, 0, 'every blob was already there');
    assert.deepEqual(report.manifests, { copied: 0, skipped: 1 });
    assert.deepEqual(report.referrers, { copied: 1, skipped: 0, byKind: { signature: 1, sbom: 0, attestation: 0, other: 0 } });
    assert.deepEqual(report.tags, [{ tag: 'v1', action: 'created' }]);
    assert.equal((await prod('faults/app').resolve('v1')).digest, artifact.digest);
    assert.deepEqual(await attachedTree(prod('faults/app'), artifact.digest), await attachedTree(source, artifact.digest));
  });

  test('an upload whose answer is lost is sent again from a fresh download of the source, and the copy completes', async () => {
    let lost = 0;
    fault = (method, url) =>
      method === 'PUT' && url.includes(encodeURIComponent(layer.digest)) && lost++ === 0 ? 'lose-response' : 'pass';
    const result = await copy('lost/app');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(lost, 2, 'the upload was sent twice');
    assert.equal((await prod('lost/app').resolve('v1')).digest, artifact.digest);
    assert.equal((await prod('lost/app').fetchBlobBytes(layer, { maxBytes: layer.size })).length, layer.size);
    fault = () => 'pass';
  });

  test('a copy cancelled half-way through a blob stops, sets no tag, and a rerun completes', async () => {
    const controller = new AbortController();
    const started = copyArtifact(source, 'v1', prod('cancelled/app'), {
      referrers: true,
      tags: ['v1'],
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytesDone > 1024 * 1024) controller.abort();
      },
    });
    await assert.rejects(started, (error: Error) => isOciError(error, 'CANCELLED') || error.name === 'AbortError');
    await assert.rejects(prod('cancelled/app').resolve('v1'), missing);
    const { result } = await copyArtifact(source, 'v1', prod('cancelled/app'), { referrers: true, tags: ['v1'] });
    assert.deepEqual(result.failures, []);
    assert.equal((await prod('cancelled/app').resolve('v1')).digest, artifact.digest);
  });

  test("each registry only ever receives its own login: the source's password never reaches the destination, nor the reverse", async () => {
    seen.staging.length = 0;
    seen.production.length = 0;
    const destinationOnly = writeDockerConfig(join(dir, 'production-only.json'), { [productionProxy.host]: promoter });
    const result = await cliWithStdin(
      [
        'copy',
        `${stagingProxy.host}/team/app:v1`,
        `${productionProxy.host}/logins/app`,
        '--referrers',
        '--from-username',
        staging.admin.username,
        '--from-password-stdin',
        '--to-docker-config',
        destinationOnly,
      ],
      `${staging.admin.password}\n`,
    );
    assert.equal(result.code, 0, result.stderr);
    const basic = (u: { username: string; password: string }) => `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`;
    assert.ok(seen.staging.length > 0 && seen.production.length > 0, 'both registries asked for a login');
    assert.deepEqual([...new Set(seen.staging)], [basic(staging.admin)]);
    assert.deepEqual([...new Set(seen.production)], [basic(promoter)]);
  });

  test('the shared --username is refused when source and destination are two registries: whose login it is must be said', async () => {
    const result = await cliWithStdin(
      ['copy', `${stagingProxy.host}/team/app:v1`, `${productionProxy.host}/logins/app`, '--username', 'admin', '--password-stdin'],
      'admin-pass\n',
    );
    assert.equal(result.code, 2);
    assert.match(result.stderr, /say whose login this is with --from-username or --to-username/);
  });
});
