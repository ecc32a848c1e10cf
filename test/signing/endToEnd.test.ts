import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  OciClient,
  referrersTagFor,
  type Descriptor,
  type ImageIndex,
  type ImageManifest,
  type RepositoryApi,
  parseReference,
} from '../../src/oci';
import {
  generateTestCertificate,
  loadCosignPublicKeys,
  signatureStatus,
  signatureTagFor,
  signWithCosignKey,
  writeNotationTrustFolder,
  type SignatureResult,
} from '../../src/signing';
import { pushArtifact } from '../integration/fixtures';
import { cli } from '../support/cli';
import { startRegistry, type RunningRegistry } from '../support/registry';

describe('signing against a real registry (CNCF Distribution, no referrers API)', () => {
  let registry: RunningRegistry;
  let client: OciClient;
  let repo: RepositoryApi;
  let artifact: Descriptor;
  let foreign: Descriptor;
  const dir = mkdtempSync(join(tmpdir(), 'oci-gitops-sign-e2e-'));
  const env = { COSIGN_PASSWORD: 'correct horse' };
  const notation = generateTestCertificate({ commonName: 'oci-gitops.test' });

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    client = new OciClient();
    repo = client.repository(parseReference(`${registry.host}/team/app`));
    artifact = await pushArtifact(repo, 'v1', { files: { 'deploy.yaml': 'kind: ConfigMap\n' } });
    // Another tool's referrer (an SBOM) already sits in the fallback index.
    foreign = await pushArtifact(repo, undefined, {
      artifactType: 'application/spdx+json',
      subject: artifact,
      files: { 'sbom.json': '{}' },
    });
    writeFileSync(join(dir, 'notation.key'), notation.privateKeyPem);
    writeFileSync(join(dir, 'notation.crt'), notation.certificatePem);
    writeNotationTrustFolder(join(dir, 'trust'), 'oci-gitops', notation.certificatePem);
  });
  after(async () => {
    await client?.close();
    await registry?.stop();
  });

  const ref = () => `${registry.host}/team/app:v1`;

  test('keygen writes cosign.key with mode 0600 and cosign.pub', async () => {
    const result = await cli(['keygen', dir], env);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(statSync(join(dir, 'cosign.key')).mode & 0o777, 0o600);
    assert.match(result.stdout, /cosign\.pub/);
    assert.doesNotMatch(result.stdout + result.stderr, /correct horse/);
    const again = await cli(['keygen', dir], env);
    assert.equal(again.code, 2, 'an existing key is not overwritten without --force');
  });

  test('sign with the cosign key writes the .sig tag and a bundle referrer for the digest, not the tag', async () => {
    const result = await cli(['sign', ref(), '--key', join(dir, 'cosign.key')], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`Signed ${registry.host}/team/app@${artifact.digest}`));
    const sig = (await repo.fetchManifest(signatureTagFor(artifact.digest))).manifest as ImageManifest;
    assert.equal(sig.layers.length, 1);
    const payload = JSON.parse((await repo.fetchBlobBytes(sig.layers[0])).toString());
    assert.equal(payload.critical.image['docker-manifest-digest'], artifact.digest);
    assert.equal(payload.critical.identity['docker-reference'], `${registry.host}/team/app`);
    const bundles = await repo.referrers(artifact.digest, { artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json' });
    assert.equal(bundles.length, 1);
    const bundleManifest = (await repo.fetchManifest(bundles[0].digest)).manifest as ImageManifest;
    assert.deepEqual(bundleManifest.subject, { mediaType: artifact.mediaType, digest: artifact.digest, size: artifact.size });
    assert.equal(bundleManifest.config.digest, 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    assert.equal(bundleManifest.annotations?.['dev.sigstore.bundle.content'], 'dsse-envelope');
  });

  test('signing again with the same key adds nothing to either format', async () => {
    const result = await cli(['sign', ref(), '--key', join(dir, 'cosign.key')], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /\.sig: already signed by this key \(1 signature\)/);
    assert.match(result.stdout, /bundle +sha256:[0-9a-f]+: already signed by this key/);
    assert.equal(((await repo.fetchManifest(signatureTagFor(artifact.digest))).manifest as ImageManifest).layers.length, 1);
  });

  test('a second key appends to the .sig tag and keeps the earlier signature', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const result = await signWithCosignKey(repo, artifact, privateKey);
    assert.equal(result.signatureTag.added, true);
    assert.equal(result.signatureTag.layers, 2);
    const layers = ((await repo.fetchManifest(signatureTagFor(artifact.digest))).manifest as ImageManifest).layers;
    assert.equal(layers.length, 2);
    assert.notEqual(
      layers[0].annotations?.['dev.cosignproject.cosign/signature'],
      layers[1].annotations?.['dev.cosignproject.cosign/signature'],
    );
  });

  test('sign with a notation key and certificate writes a JWS referrer with the thumbprint annotation', async () => {
    const result = await cli(
      ['sign', ref(), '--notation-key', join(dir, 'notation.key'), '--notation-cert', join(dir, 'notation.crt')],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    const [signature] = await repo.referrers(artifact.digest, { artifactType: 'application/vnd.cncf.notary.signature' });
    const manifest = (await repo.fetchManifest(signature.digest)).manifest as ImageManifest;
    assert.equal(manifest.layers.length, 1);
    assert.equal(manifest.layers[0].mediaType, 'application/jose+json');
    assert.equal(manifest.config.mediaType, 'application/vnd.oci.empty.v1+json');
    assert.equal(JSON.parse(manifest.annotations?.['io.cncf.notary.x509chain.thumbprint#S256'] ?? '[]').length, 1);
  });

  test("the fallback index keeps the other tool's referrer beside every signature", async () => {
    const index = (await repo.fetchManifest(referrersTagFor(artifact.digest))).manifest as ImageIndex;
    const types = index.manifests.map((m) => m.artifactType).sort();
    assert.ok(
      index.manifests.some((m) => m.digest === foreign.digest),
      'foreign SBOM referrer kept',
    );
    assert.deepEqual(types, [
      'application/spdx+json',
      'application/vnd.cncf.notary.signature',
      'application/vnd.dev.sigstore.bundle.v0.3+json',
      'application/vnd.dev.sigstore.bundle.v0.3+json',
    ]);
  });

  test('verify --key --json reports every signature with a reason and exits 0 when one verifies', async () => {
    const result = await cli(['verify', ref(), '--key', join(dir, 'cosign.pub'), '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { verified: boolean; signatures: SignatureResult[] };
    assert.equal(report.verified, true);
    const summary = report.signatures.map((s) => `${s.format}:${s.status}`).sort();
    assert.deepEqual(summary, [
      'cosign:invalid',
      'cosign:verified',
      'notation:unverified',
      'sigstore-bundle:invalid',
      'sigstore-bundle:verified',
    ]);
    assert.ok(report.signatures.every((s) => s.reason.length > 0));
  });

  test('verify --notation-trust verifies the notation signature', async () => {
    const result = await cli(['verify', ref(), '--notation-trust', join(dir, 'trust')], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /verified +notation/);
  });

  test('verify with a key that signed nothing exits 1 and says why', async () => {
    const stranger = join(dir, 'stranger.pub');
    writeFileSync(stranger, generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }));
    const result = await cli(['verify', ref(), '--key', stranger], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /is not verified: none of its signatures verifies/);
  });

  test('verify of an unsigned artifact exits 1', async () => {
    await pushArtifact(repo, 'unsigned', { files: { 'x.yaml': 'x: 1\n' } });
    const result = await cli(['verify', `${registry.host}/team/app:unsigned`, '--key', join(dir, 'cosign.pub')], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /has no cosign or notation signature/);
  });

  test('a wrong COSIGN_PASSWORD fails before anything is written, without echoing the password', async () => {
    const other = await pushArtifact(repo, 'v2', { files: { 'y.yaml': 'y: 1\n' } });
    const result = await cli(['sign', `${registry.host}/team/app:v2`, '--key', join(dir, 'cosign.key')], { COSIGN_PASSWORD: 'wrong-pass' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /password is wrong/);
    assert.doesNotMatch(result.stderr, /wrong-pass/);
    assert.deepEqual(await repo.referrers(other.digest), []);
  });

  test('three signers at once in one process all land in the .sig tag and the fallback index', async () => {
    const target = await pushArtifact(repo, 'race', { files: { 'r.yaml': 'r: 1\n' } });
    const keys = [0, 1, 2].map(() => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    await Promise.all(keys.map((k) => signWithCosignKey(repo, target, k)));
    assert.equal(((await repo.fetchManifest(signatureTagFor(target.digest))).manifest as ImageManifest).layers.length, 3);
    assert.equal((await repo.referrers(target.digest)).length, 3);
  });

  test('signatureStatus gives the tree badge: verified with the key, unverified without trust, unsigned without signatures', async () => {
    const keys = loadCosignPublicKeys([join(dir, 'cosign.pub')]);
    assert.equal((await signatureStatus(repo, artifact, { cosignKeys: keys })).badge, 'verified');
    assert.equal((await signatureStatus(repo, artifact, {})).badge, 'unverified');
    const unsigned = await repo.resolve('unsigned');
    assert.equal((await signatureStatus(repo, unsigned, { cosignKeys: keys })).badge, 'unsigned');
  });
});
