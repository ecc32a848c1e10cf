import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  bufferSource,
  digestOf,
  EMPTY_DESCRIPTOR,
  MediaType,
  OciClient,
  parseReference,
  type Descriptor,
  type ImageManifest,
  type RepositoryApi,
} from '../../src/oci';
import { gatherEvidence } from '../../src/gitops/impact/evidence';
import { impactOf } from '../../src/gitops/impact/impact';
import { signWithCosignKey } from '../../src/signing';
import { pushSigstoreBundle } from '../../src/signing';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { base64, cosignKeyPair, fixture, pushCandidate, workspace } from './workspaceFixtures';

const SLSA = 'https://slsa.dev/provenance/v1';
const SPDX = 'https://spdx.dev/Document';

/** A cosign `attest` layer: a DSSE envelope whose layer annotation names its predicate type. */
async function pushAttTag(repo: RepositoryApi, subject: Descriptor, predicateType: string): Promise<void> {
  const envelope = Buffer.from(JSON.stringify({ payloadType: 'application/vnd.in-toto+json', payload: base64('{}'), signatures: [] }));
  await repo.pushBlob(bufferSource(Buffer.from('{}')));
  await repo.pushBlob(bufferSource(envelope));
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config: { ...EMPTY_DESCRIPTOR },
    layers: [
      {
        mediaType: 'application/vnd.dsse.envelope.v1+json',
        digest: digestOf(envelope),
        size: envelope.length,
        annotations: { predicateType },
      },
    ],
  };
  await repo.pushManifest(Buffer.from(JSON.stringify(manifest)), MediaType.OciManifest, `${subject.digest.replace(':', '-')}.att`);
}

describe('the evidence about a candidate, read once for every consumer', () => {
  let registry: RunningRegistry;
  let client: OciClient;

  before(async () => {
    registry = await startRegistry({ auth: 'none', accessLog: true });
    client = new OciClient();
  });
  after(async () => {
    await client?.close();
    await registry?.stop();
  });

  const repoOf = (name: string) => client.repository(parseReference(`${registry.host}/${name}/podinfo`));
  const registryAccess = { repository: (host: string, repository: string) => client.repository({ registry: host, repository }) };

  test('attestation predicate types come from cosign .att layers and bundle referrers, not from plain signatures', async () => {
    const repo = repoOf('attested');
    const subject = await pushCandidate(repo, '1.0.0');
    await signWithCosignKey(repo, subject, cosignKeyPair().privateKey);
    await pushAttTag(repo, subject, SLSA);
    const sbom = Buffer.from('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}');
    const referrer = await pushSigstoreBundle(repo, subject, sbom);
    // pushSigstoreBundle writes cosign's signature predicate type; rewrite it as `cosign attest --type spdxjson` would.
    const { bytes } = await repo.fetchManifest(referrer.digest);
    const attested = bytes.toString('utf8').replace('https://sigstore.dev/cosign/sign/v1', SPDX);
    await repo.pushManifest(Buffer.from(attested), MediaType.OciManifest, digestOf(Buffer.from(attested)));
    await repo.recordReferrers(subject.digest, [
      {
        mediaType: MediaType.OciManifest,
        digest: digestOf(Buffer.from(attested)),
        size: attested.length,
        artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
        annotations: { 'dev.sigstore.bundle.predicateType': SPDX },
      },
    ]);
    const evidence = await gatherEvidence(repo, { registry: registry.host, repository: 'attested/podinfo', tag: '1.0.0' });
    assert.equal(evidence.digest, subject.digest);
    assert.deepEqual(
      evidence.layers.map((l) => l.mediaType),
      [MediaType.OciLayerTarGzip],
    );
    assert.deepEqual([...evidence.attestationPredicateTypes].sort(), [SLSA, SPDX]);
  });

  test('two consumers with two keys share one signature discovery: the .sig tag is read once', async () => {
    const repo = repoOf('shared');
    const first = cosignKeyPair();
    const second = cosignKeyPair();
    const subject = await pushCandidate(repo, 'latest');
    await signWithCosignKey(repo, subject, first.privateKey);
    const withKey = (name: string, key: string) =>
      fixture('flux-cosign-keys.yaml', `${registry.host}/shared/podinfo`, { '<BASE64>': base64(key) })
        .replaceAll('cosign-public-keys', name)
        .replace('name: podinfo', `name: ${name}`);
    const dir = workspace({ 'first.yaml': withKey('first', first.publicPem), 'second.yaml': withKey('second', second.publicPem) });
    const before = registry.requests().length;
    const report = await impactOf({
      candidate: { registry: registry.host, repository: 'shared/podinfo', tag: 'latest' },
      files: [dir],
      registry: registryAccess,
    });
    assert.deepEqual(
      report.consumers.map((c) => [c.consumer.name, c.acceptance]),
      [
        ['first', 'accepts'],
        ['second', 'refuses'],
      ],
    );
    const sigReads = registry
      .requests()
      .slice(before)
      .filter((r) => r.includes(`/manifests/${subject.digest.replace(':', '-')}.sig`));
    assert.equal(sigReads.length, 1, sigReads.join('\n'));
  });

  test("a verifying consumer reads the candidate's referrers fallback tag once, for attestations and signatures alike", async () => {
    const repo = repoOf('fallback');
    const key = cosignKeyPair();
    const subject = await pushCandidate(repo, 'latest');
    // Its Sigstore bundle is listed in the sha256-<hex> fallback tag: Distribution 2.8 has no referrers API.
    await signWithCosignKey(repo, subject, key.privateKey);
    const dir = workspace({
      'flux.yaml': fixture('flux-cosign-keys.yaml', `${registry.host}/fallback/podinfo`, { '<BASE64>': base64(key.publicPem) }),
    });
    const before = registry.requests().length;
    const report = await impactOf({
      candidate: { registry: registry.host, repository: 'fallback/podinfo', tag: 'latest' },
      files: [dir],
      registry: registryAccess,
    });
    assert.deepEqual(
      report.consumers.map((c) => c.acceptance),
      ['accepts'],
    );
    const hex = subject.digest.slice('sha256:'.length);
    const asked = registry.requests().slice(before);
    const fallbackReads = asked.filter((r) => r.includes(`/manifests/sha256-${hex} `));
    assert.equal(fallbackReads.length, 1, asked.join('\n'));
    assert.ok(asked.filter((r) => r.includes(`/referrers/${subject.digest}`)).length <= 1, asked.join('\n'));
  });

  test('an artifact about to be pushed is judged from its own manifest: unsigned, a verifying consumer refuses it', async () => {
    const repo = repoOf('prepared');
    for (const tag of ['6.1.0-rc.1']) await pushCandidate(repo, tag);
    const layer = Buffer.from('not pushed');
    const manifestBytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.OciManifest,
        artifactType: 'application/vnd.oci-gitops.test.v1',
        config: EMPTY_DESCRIPTOR,
        layers: [{ mediaType: MediaType.OciLayerTarGzip, digest: digestOf(layer), size: layer.length }],
      }),
    );
    const semver = fixture('flux-semver-filter.yaml', `${registry.host}/prepared/podinfo`);
    const verifying = semver
      .replace('name: podinfo', 'name: verified')
      .replace('  ref:', '  verify:\n    provider: cosign\n    secretRef:\n      name: cosign-public-keys\n  ref:');
    const secret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: cosign-public-keys\n  namespace: default\ndata:\n  cosign.pub: ${base64(cosignKeyPair().publicPem)}\n`;
    const dir = workspace({ 'a.yaml': semver, 'b.yaml': verifying, 'secret.yaml': secret });
    const tagsBefore = (await repo.tagPage()).items;
    const report = await impactOf({
      candidate: { reference: { registry: registry.host, repository: 'prepared/podinfo', tag: '6.2.0-rc.1' }, manifestBytes },
      files: [dir],
      registry: registryAccess,
    });
    assert.equal(report.candidate.digest, digestOf(manifestBytes));
    assert.deepEqual(
      report.consumers.map((c) => [c.consumer.name, c.pick, c.acceptance]),
      [
        ['podinfo', { outcome: 'picks', before: '6.1.0-rc.1', after: '6.2.0-rc.1' }, 'accepts'],
        ['verified', { outcome: 'picks', before: '6.1.0-rc.1', after: '6.2.0-rc.1' }, 'refuses'],
      ],
    );
    assert.match(report.consumers[1].checks[0].detail, /no signature/);
    assert.deepEqual((await repo.tagPage()).items, tagsBefore, 'nothing was pushed');
  });
});
