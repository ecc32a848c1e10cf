import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { copyArtifact, planCopy } from '../../src/artifact/copy';
import { pushFolder } from '../../src/artifact/push';
import { OciClient, parseReference, StaticCredentials, type Descriptor, type ImageManifest, type RepositoryApi } from '../../src/oci';
import { publicKeyPem, signatureTagFor, signWithCosignKey } from '../../src/signing';
import { cli } from '../support/cli';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { attachCosignSbom, attachedTree, bundledCli, pushMultiPlatformIndex, writeDockerConfig } from './copyFixtures';
import { pushArtifact } from './fixtures';

/**
 * Promotion between two real registries (CNCF Distribution, no referrers API, so every referrer
 * goes through the `sha256-<hex>` fallback index): staging with htpasswd logins, production
 * behind TLS with other logins. The artifact is what Flux consumes, signed as `oci-gitops sign
 * --key` signs (cosign .sig tag and Sigstore bundle referrer), with an SPDX SBOM referrer that is
 * itself signed, and an SBOM under cosign's `.sbom` tag.
 */
describe('copy between registries, with signatures, SBOMs and attestations', () => {
  let staging: RunningRegistry;
  let production: RunningRegistry;
  let stagingClient: OciClient;
  let productionClient: OciClient;
  let source: RepositoryApi;
  let artifact: Descriptor;
  let sbom: Descriptor;
  const dir = mkdtempSync(join(tmpdir(), 'oci-gitops-copy-'));
  const env = { COSIGN_PASSWORD: 'promote me' };
  const promoter = { username: 'promoter', password: 'prod-pass' };
  let dockerConfig: string;
  let common: string[];

  before(async () => {
    [staging, production] = await Promise.all([
      startRegistry({ auth: 'htpasswd' }),
      startRegistry({ auth: 'htpasswd', tls: true, users: { admin: promoter } }),
    ]);
    stagingClient = new OciClient({ credentials: new StaticCredentials(staging.host, staging.admin) });
    productionClient = new OciClient({
      credentials: new StaticCredentials(production.host, promoter),
      settingsFor: (host) => (host === production.host ? { caFile: production.caFile } : {}),
    });
    dockerConfig = writeDockerConfig(join(dir, 'config.json'), { [staging.host]: staging.admin, [production.host]: promoter });
    common = ['--docker-config', dockerConfig, '--to-ca-file', production.caFile!];
    source = stagingClient.repository(parseReference(`${staging.host}/team/app`));

    const folder = join(dir, 'deploy');
    mkdirSync(folder);
    writeFileSync(join(folder, 'deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n');
    const pushed = await pushFolder(stagingClient, folder, parseReference(`${staging.host}/team/app:1.0.0`), {
      format: 'flux',
      source: 'https://example.com/app.git',
      revision: 'main@sha1:1111111111111111111111111111111111111111',
      created: '2026-01-01T00:00:00Z',
    });
    artifact = await source.resolve(pushed.digest);
    assert.equal((await cli(['keygen', dir], env)).code, 0);
    const signed = await cli(
      ['sign', `${staging.host}/team/app:1.0.0`, '--key', join(dir, 'cosign.key'), '--docker-config', dockerConfig],
      env,
    );
    assert.equal(signed.code, 0, signed.stderr);
    sbom = await pushArtifact(source, undefined, {
      artifactType: 'application/spdx+json',
      subject: artifact,
      files: { 'sbom.spdx.json': '{"spdxVersion":"SPDX-2.3"}' },
    });
    const sbomSigned = await cli(
      ['sign', `${staging.host}/team/app@${sbom.digest}`, '--key', join(dir, 'cosign.key'), '--docker-config', dockerConfig],
      env,
    );
    assert.equal(sbomSigned.code, 0, sbomSigned.stderr);
    await attachCosignSbom(source, artifact, { spdxVersion: 'SPDX-2.3', name: 'app' });
  });
  after(async () => {
    await stagingClient?.close();
    await productionClient?.close();
    await Promise.all([staging?.stop(), production?.stop()]);
  });

  const prod = (repository: string) => productionClient.repository(parseReference(`${production.host}/${repository}`));

  test('the preview names what will be copied before anything is written: manifests, blobs, bytes, referrers by kind', async () => {
    const plan = await planCopy(source, '1.0.0', { referrers: true });
    assert.equal(plan.root.descriptor.digest, artifact.digest);
    assert.equal(plan.summary.manifests, 1);
    assert.equal(plan.summary.blobs, 2, 'the Flux config and the content layer');
    assert.deepEqual(
      plan.summary.referrers,
      { signature: 4, sbom: 2, attestation: 0, other: 0 },
      '.sig and bundle of the artifact and of the SBOM; the SBOM referrer and the .sbom tag',
    );
    assert.ok(plan.summary.totalBytes > plan.summary.bytes);
    assert.deepEqual(plan.warnings, []);
  });

  test('copy --referrers through the bundled CLI keeps the digest, and production discovers the same signatures and SBOMs', async () => {
    const result = await bundledCli(
      ['copy', `${staging.host}/team/app:1.0.0`, `${production.host}/team/app`, '--referrers', ...common],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), `${production.host}/team/app@${artifact.digest}`);
    assert.match(result.stderr, /blobs: +\d+ copied \([^)]+\), 0 mounted, \d+ skipped/);
    assert.match(result.stderr, /referrers: 6 copied, 0 already there/);
    assert.match(result.stderr, /tag 1\.0\.0: created/);
    const copied = await prod('team/app').fetchManifest('1.0.0');
    assert.equal(copied.descriptor.digest, artifact.digest);
    assert.deepEqual(copied.bytes, (await source.fetchManifest(artifact.digest)).bytes, 'the manifest bytes are unchanged');
    assert.deepEqual(await attachedTree(prod('team/app'), artifact.digest), await attachedTree(source, artifact.digest));
    assert.equal((await attachedTree(source, artifact.digest)).length, 6);
  });

  test('verify --key succeeds at the destination with the key that signed at the source (bundled CLI)', async () => {
    const result = await bundledCli([
      'verify',
      `${production.host}/team/app:1.0.0`,
      '--key',
      join(dir, 'cosign.pub'),
      '--docker-config',
      dockerConfig,
      '--ca-file',
      production.caFile!,
      '--json',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { verified: boolean; signatures: { format: string; status: string }[] };
    assert.deepEqual(report.signatures.map((s) => `${s.format}:${s.status}`).sort(), ['cosign:verified', 'sigstore-bundle:verified']);
  });

  test('a second run copies nothing and says so', async () => {
    const again = await cli(['copy', `${staging.host}/team/app:1.0.0`, `${production.host}/team/app`, '--referrers', ...common]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /^Nothing to copy: the destination already has 1 manifest, 2 blobs/);
    const json = await cli(['copy', `${staging.host}/team/app:1.0.0`, `${production.host}/team/app`, '--referrers', '--json', ...common]);
    const report = JSON.parse(json.stdout);
    assert.equal(report.nothingCopied, true);
    assert.deepEqual(report.blobs, { copied: 0, mounted: 0, skipped: 12, bytesCopied: 0 });
    assert.deepEqual(report.referrers.copied, 0);
    assert.deepEqual(report.tags, [{ tag: '1.0.0', action: 'unchanged' }]);
  });

  test('a multi-platform index with a nested index is copied whole, digest unchanged, with its signature', async () => {
    const multi = stagingClient.repository(parseReference(`${staging.host}/team/multi`));
    const { index, children } = await pushMultiPlatformIndex(multi, '2.0.0');
    const signed = await cli(
      ['sign', `${staging.host}/team/multi:2.0.0`, '--key', join(dir, 'cosign.key'), '--docker-config', dockerConfig],
      env,
    );
    assert.equal(signed.code, 0, signed.stderr);
    const progress: number[] = [];
    const { plan, result } = await copyArtifact(multi, '2.0.0', prod('team/multi'), {
      referrers: true,
      tags: ['2.0.0'],
      onProgress: (p) => progress.push(p.itemsDone),
    });
    assert.equal(plan.summary.manifests, 5);
    assert.equal(result.digest, index.digest);
    assert.deepEqual(result.manifests, { copied: 5, skipped: 0 });
    assert.deepEqual(result.failures, []);
    for (const child of children) assert.equal((await prod('team/multi').resolve(child.digest)).digest, child.digest);
    assert.equal((await prod('team/multi').resolve('2.0.0')).digest, index.digest);
    assert.equal(progress.at(-1), plan.summary.totalBlobs + plan.summary.totalManifests);
    const verified = await cli([
      'verify',
      `${production.host}/team/multi:2.0.0`,
      '--key',
      join(dir, 'cosign.pub'),
      '--docker-config',
      dockerConfig,
      '--ca-file',
      production.caFile!,
    ]);
    assert.equal(verified.code, 0, verified.stderr);
  });

  test('a destination tag that points at another artifact is not moved without --force, and nothing is copied', async () => {
    const other = await pushArtifact(prod('guarded/app'), 'prod', { files: { 'other.yaml': 'other: 1\n' } });
    const refused = await cli(['copy', `${staging.host}/team/app:1.0.0`, `${production.host}/guarded/app:prod`, '--referrers', ...common]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /tag prod \(sha256:[0-9a-f]+ → sha256:[0-9a-f]+\) already points at another artifact; nothing was copied/);
    assert.equal((await prod('guarded/app').resolve('prod')).digest, other.digest);
    await assert.rejects(prod('guarded/app').resolve(artifact.digest), /MANIFEST_UNKNOWN|not found|unknown/i);
    const forced = await cli([
      'copy',
      `${staging.host}/team/app:1.0.0`,
      `${production.host}/guarded/app:prod`,
      '--referrers',
      '--force',
      ...common,
    ]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr, new RegExp(`tag prod: moved from ${other.digest}`));
    assert.equal((await prod('guarded/app').resolve('prod')).digest, artifact.digest);
  });

  test("cosign .sig signatures already at the destination are kept: the source's are merged in, and both keys verify", async () => {
    const repo = prod('merge/app');
    assert.equal((await cli(['copy', `${staging.host}/team/app:1.0.0`, `${production.host}/merge/app`, ...common])).code, 0);
    const prodKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(join(dir, 'prod.pub'), publicKeyPem(prodKey.publicKey));
    await signWithCosignKey(repo, artifact, prodKey.privateKey);
    const result = await cli(['copy', `${staging.host}/team/app:1.0.0`, `${production.host}/merge/app`, '--referrers', ...common]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, new RegExp(`${signatureTagFor(artifact.digest)}: merged \\(2 layers\\)`));
    const layers = ((await repo.fetchManifest(signatureTagFor(artifact.digest))).manifest as ImageManifest).layers;
    assert.equal(layers.length, 2);
    for (const key of ['cosign.pub', 'prod.pub']) {
      const verified = await cli([
        'verify',
        `${production.host}/merge/app:1.0.0`,
        '--key',
        join(dir, key),
        '--docker-config',
        dockerConfig,
        '--ca-file',
        production.caFile!,
      ]);
      assert.equal(verified.code, 0, `${key}: ${verified.stderr}`);
    }
    const again = await cli(['copy', `${staging.host}/team/app:1.0.0`, `${production.host}/merge/app`, '--referrers', '--json', ...common]);
    assert.equal(JSON.parse(again.stdout).nothingCopied, true, 'the merged tag already holds every source signature');
  });

  test('a different cosign .sbom at the destination is not replaced without --force, and nothing is copied', async () => {
    const repo = prod('sbom/app');
    assert.equal((await cli(['copy', `${staging.host}/team/app:1.0.0`, `${production.host}/sbom/app`, ...common])).code, 0);
    const theirs = await attachCosignSbom(repo, artifact, { spdxVersion: 'SPDX-2.3', name: 'someone else' });
    const refused = await cli(['copy', `${staging.host}/team/app:1.0.0`, `${production.host}/sbom/app`, '--referrers', ...common]);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /tag sha256-[0-9a-f]{64}\.sbom \(sha256:[0-9a-f]+ → sha256:[0-9a-f]+\) already points at another artifact; nothing was copied/,
    );
    assert.deepEqual(await repo.referrers(artifact.digest), [], 'no referrer was copied');
    assert.equal((await repo.resolve(`sha256-${artifact.digest.slice(7)}.sbom`)).digest, theirs.digest);
    const forced = await cli([
      'copy',
      `${staging.host}/team/app:1.0.0`,
      `${production.host}/sbom/app`,
      '--referrers',
      '--force',
      ...common,
    ]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr, /\.sbom: replaced/);
    assert.deepEqual(await attachedTree(repo, artifact.digest), await attachedTree(source, artifact.digest));
  });

  test('within one registry, blobs are mounted from the source repository instead of transferred', async () => {
    const { result } = await copyArtifact(source, '1.0.0', stagingClient.repository(parseReference(`${staging.host}/mirror/app`)), {
      tags: ['1.0.0'],
    });
    assert.deepEqual(result.blobs, { copied: 0, mounted: 2, skipped: 0, bytesCopied: 0 });
    assert.equal((await stagingClient.repository(parseReference(`${staging.host}/mirror/app`)).resolve('1.0.0')).digest, artifact.digest);
  });

  test('the SBOM referrer and its own signature are found under it at the destination', async () => {
    const lines = await attachedTree(prod('team/app'), artifact.digest);
    assert.ok(
      lines.some((l) => l.startsWith(`referrer application/spdx+json ${sbom.digest} > tag sha256-<subject>.sig`)),
      lines.join('\n'),
    );
  });
});
