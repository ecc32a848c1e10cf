import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { describeArtifact } from '../../src/artifact/describe';
import { digestOf, MediaType, OciClient, referrersTagFor, parseReference } from '../../src/oci';
import { cli } from '../support/cli';
import { seedDescribedArtifacts, type DescribedSeed } from '../support/describedArtifacts';
import { FakeRegistry } from '../support/fakeRegistry';
import { startRegistry, type RunningRegistry } from '../support/registry';

describe('describeArtifact: one description of an artifact for the tree, the panel and inspect', () => {
  let registry: RunningRegistry;
  let client: OciClient;
  let seed: DescribedSeed;
  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    client = new OciClient();
    seed = await seedDescribedArtifacts(client, registry.host);
  });
  after(async () => {
    await client?.close();
    await registry?.stop();
  });

  test('on a registry without the referrers API, the SBOM is found by the fallback tag and the cosign signature by its .sig tag', async () => {
    const described = await describeArtifact(client.repository(parseReference(seed.signed.repository)), seed.signed.tag);
    assert.equal(described.referrersError, undefined);
    assert.deepEqual(
      described.referrers.map((r) => ({
        digest: r.descriptor.digest,
        kind: r.kind.id,
        category: r.category,
        foundBy: r.foundBy,
        tag: r.tag,
      })),
      [
        { digest: seed.signed.sbom.digest, kind: 'sbom-spdx', category: 'sbom', foundBy: 'fallback-tag', tag: undefined },
        {
          digest: seed.signed.signature.digest,
          kind: 'cosign-signature',
          category: 'signature',
          foundBy: 'cosign-tag',
          tag: `${referrersTagFor(seed.signed.digest)}.sig`,
        },
      ],
    );
    assert.deepEqual(
      described.referrers.map((r) => r.label),
      ['SBOM (SPDX)', 'Cosign signature (.sig tag)'],
    );
  });

  test('the description names the artifact as asked and pinned, with its kind', async () => {
    const described = await describeArtifact(client.repository(parseReference(seed.signed.repository)), seed.signed.tag);
    assert.equal(described.reference, `${seed.signed.repository}:1.0.0`);
    assert.equal(described.pinned, `${seed.signed.repository}@${seed.signed.digest}`);
    assert.equal(described.kind.kind.id, 'oras-files');
    const byDigest = await describeArtifact(client.repository(parseReference(seed.signed.repository)), seed.signed.digest);
    assert.equal(byDigest.reference, `${seed.signed.repository}@${seed.signed.digest}`);
  });

  test("an index gets one label per entry: os/architecture[/variant], else the entry's artifactType", async () => {
    const described = await describeArtifact(client.repository(parseReference(seed.index.repository)), seed.index.tag);
    assert.equal(described.kind.kind.id, 'image-index');
    assert.deepEqual(described.platforms, ['linux/amd64', 'linux/arm/v7', 'application/vnd.example.attachment.v1']);
  });

  test('an artifact of no known kind is "unknown" and carries the media types it has', async () => {
    const described = await describeArtifact(client.repository(parseReference(seed.unknown.repository)), seed.unknown.tag);
    assert.equal(described.kind.kind.id, 'unknown');
    assert.deepEqual(described.kind.mediaTypes, seed.unknown.mediaTypes);
    assert.deepEqual(described.referrers, []);
  });

  test('inspect --json adds kind, summary and described referrers, and keeps the fields it had', async () => {
    const run = await cli(['inspect', '--json', `${seed.signed.repository}:1.0.0`]);
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    for (const field of ['reference', 'pinned', 'digest', 'digestVerified', 'mediaType', 'artifactType', 'size', 'manifest'])
      assert.ok(field in json, `${field} is still printed`);
    assert.equal(json.kind, 'oras-files');
    assert.equal(json.kindLabel, 'ORAS files');
    // ORAS files are summarised by their files and sizes, from the manifest alone.
    assert.deepEqual(json.summary, { files: [{ path: 'app.yaml', size: 12, mediaType: 'application/yaml' }], totalSize: 12 });
    const referrers = json.referrers as Record<string, unknown>[];
    assert.deepEqual(
      referrers.map((r) => [r.digest, r.mediaType, r.kind, r.category, r.foundBy]),
      [
        [seed.signed.sbom.digest, MediaType.OciManifest, 'sbom-spdx', 'sbom', 'fallback-tag'],
        [seed.signed.signature.digest, MediaType.OciManifest, 'cosign-signature', 'signature', 'cosign-tag'],
      ],
    );
    assert.equal(referrers[0].artifactType, 'application/spdx+json', 'a referrer keeps its descriptor fields');
  });

  test('inspect --json of an unknown artifact lists its media types; of an index, its platforms', async () => {
    const odd = JSON.parse((await cli(['inspect', '--json', `${seed.unknown.repository}:1`])).stdout) as Record<string, unknown>;
    assert.equal(odd.kind, 'unknown');
    assert.deepEqual(odd.mediaTypes, seed.unknown.mediaTypes);
    const index = JSON.parse((await cli(['inspect', '--json', `${seed.index.repository}:2.0.0`])).stdout) as Record<string, unknown>;
    assert.deepEqual(index.platforms, ['linux/amd64', 'linux/arm/v7', 'application/vnd.example.attachment.v1']);
  });

  test('inspect prints the kind and each referrer with how it was found', async () => {
    const run = await cli(['inspect', `${seed.signed.repository}:1.0.0`]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Kind: {10}ORAS files \(oras-files\)$/m);
    assert.ok(run.stdout.includes(`  ${seed.signed.sbom.digest}  SBOM (SPDX)  `), run.stdout);
    assert.match(run.stdout, new RegExp(`\\(referrers fallback tag\\)$`, 'm'));
    assert.ok(run.stdout.includes(`(cosign tag ${referrersTagFor(seed.signed.digest)}.sig)`), run.stdout);
  });
});

describe('describeArtifact on a registry with the referrers API', () => {
  // Issue 24: until the registry has answered, the fallback tag is asked for in the same round as
  // the API (it saves a round trip where there is no API); once the API has answered it is not read.
  test('referrers are found by the API; the fallback tag asked alongside at first is not used, then not read', async () => {
    const fake = await new FakeRegistry().start();
    const client = new OciClient();
    try {
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaType.OciManifest,
          config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: digestOf(Buffer.from('{}')), size: 2 },
          layers: [],
        }),
      );
      const subject = fake.addManifest('org/app', manifest, MediaType.OciManifest, ['v1']);
      const signature = {
        mediaType: MediaType.OciManifest,
        digest: digestOf(Buffer.from('sig')),
        size: 3,
        artifactType: 'application/vnd.cncf.notary.signature',
      };
      fake.addReferrer(subject, signature);
      // A stale fallback index from an older tool, listing something the API does not.
      const stale = {
        mediaType: MediaType.OciManifest,
        digest: digestOf(Buffer.from('stale')),
        size: 5,
        artifactType: 'application/spdx+json',
      };
      fake.addManifest(
        'org/app',
        Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [stale] })),
        MediaType.OciIndex,
        [referrersTagFor(subject)],
      );
      const fallbackReads = () => fake.requests.filter((r) => r.url.endsWith(`/manifests/${referrersTagFor(subject)}`)).length;
      for (let run = 1; run <= 2; run++) {
        const described = await describeArtifact(client.repository(parseReference(`${fake.host}/org/app`)), 'v1');
        assert.deepEqual(
          described.referrers.map((r) => [r.descriptor.digest, r.kind.id, r.category, r.foundBy]),
          [[signature.digest, 'notation-signature', 'signature', 'referrers-api']],
        );
        assert.equal(fallbackReads(), 1, `after describe ${run}: the fallback tag is read only alongside the first API request`);
      }
    } finally {
      await client.close();
      await fake.stop();
    }
  });
});
