import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  bufferSource,
  digestOf,
  isOciError,
  MediaType,
  OciClient,
  referrersTagFor,
  type RepositoryApi,
  parseReference,
} from '../../src/oci';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { pushManifest as pushManifestOnly } from '../../src/oci/registry/manifests';
import { artifactManifest, patternBytes, pushArtifact } from './fixtures';

describe('OCI client against CNCF Distribution (anonymous)', () => {
  let registry: RunningRegistry;
  let client: OciClient;
  let repo: RepositoryApi;

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    client = new OciClient();
    repo = client.repository(parseReference(`${registry.host}/team/app`));
  });
  after(async () => {
    await client?.close();
    await registry?.stop();
  });

  test('ping reaches the v2 API over plain HTTP on loopback', async () => {
    await client.registry(registry.host).ping();
  });

  test('requests sent together before the scheme is known all fall back to plain HTTP on loopback', async () => {
    const fresh = new OciClient();
    try {
      const twins = fresh.repository(parseReference(`${registry.host}/team/app`));
      const pings = await Promise.allSettled(Array.from({ length: 6 }, () => twins.blobExists(digestOf(Buffer.from('none')))));
      assert.deepEqual(
        pings.map((p) => p.status),
        Array(6).fill('fulfilled'),
      );
    } finally {
      await fresh.close();
    }
  });

  test('a monolithic blob upload is read back byte for byte, verified', async () => {
    const blob = patternBytes(50_000, 3);
    const pushed = await repo.pushBlob(bufferSource(blob));
    assert.equal(pushed.how, 'uploaded');
    assert.deepEqual(await repo.fetchBlobBytes({ digest: pushed.digest, size: blob.length }), blob);
  });

  test('a chunked upload (PATCH with Content-Range) stores the exact blob', async () => {
    const blob = patternBytes(3 * 1024 * 1024 + 123, 4);
    const progress: number[] = [];
    const pushed = await repo.pushBlob(bufferSource(blob), { chunkSize: 1024 * 1024, onProgress: (n) => progress.push(n) });
    assert.equal(pushed.how, 'uploaded');
    assert.deepEqual(progress.slice(0, 3), [1024 * 1024, 2 * 1024 * 1024, 3 * 1024 * 1024]);
    const stat = await repo.blobExists(digestOf(blob));
    assert.equal(stat?.size, blob.length);
    const chunks: Buffer[] = [];
    for await (const chunk of await repo.fetchBlob({ digest: digestOf(blob), size: blob.length })) chunks.push(chunk as Buffer);
    assert.ok(Buffer.concat(chunks).equals(blob));
  });

  test('a blob the repository already has is not uploaded again', async () => {
    const blob = patternBytes(1000, 5);
    await repo.pushBlob(bufferSource(blob));
    assert.equal((await repo.pushBlob(bufferSource(blob))).how, 'exists');
  });

  test('a blob is mounted from another repository instead of uploaded', async () => {
    const blob = patternBytes(20_000, 6);
    await repo.pushBlob(bufferSource(blob));
    const other = client.repository(parseReference(`${registry.host}/team/other`));
    assert.equal((await other.pushBlob(bufferSource(blob), { mountFrom: 'team/app' })).how, 'mounted');
    assert.ok(await other.blobExists(digestOf(blob)));
  });

  test('a pushed manifest resolves by tag to the digest of its exact bytes', async () => {
    const { bytes } = artifactManifest({
      files: { 'deploy.yaml': 'kind: Deployment\n' },
      annotations: { 'org.opencontainers.image.source': 'https://example.com/repo' },
    });
    const pushed = await pushArtifact(repo, 'v1.0.0', {
      files: { 'deploy.yaml': 'kind: Deployment\n' },
      annotations: { 'org.opencontainers.image.source': 'https://example.com/repo' },
    });
    assert.equal(pushed.digest, digestOf(bytes));
    const resolved = await repo.resolve('v1.0.0');
    assert.equal(resolved.digest, pushed.digest);
    assert.equal(resolved.mediaType, MediaType.OciManifest);
    const fetched = await repo.fetchManifest('v1.0.0');
    assert.ok(fetched.bytes.equals(bytes));
    assert.equal(fetched.descriptor.annotations?.['org.opencontainers.image.source'], 'https://example.com/repo');
  });

  test('tagging a digest makes the new tag resolve to the same digest', async () => {
    const pushed = await pushArtifact(repo, 'to-retag', { files: { 'x.yaml': 'x: 1\n' } });
    await repo.tag(pushed.digest, 'stable');
    assert.equal((await repo.resolve('stable')).digest, pushed.digest);
  });

  test('referrers come from the sha256-<hex> fallback tag, which keeps every referrer', async () => {
    const subject = await pushArtifact(repo, 'signed', { files: { 'app.yaml': 'app: 1\n' } });
    const signature = await pushArtifact(repo, undefined, {
      artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
      subject,
      files: { sig: 'sig-1' },
    });
    const sbom = await pushArtifact(repo, undefined, { artifactType: 'application/spdx+json', subject, files: { sbom: '{}' } });
    const all = await repo.referrers(subject.digest);
    assert.deepEqual(all.map((d) => d.digest).sort(), [signature.digest, sbom.digest].sort());
    assert.deepEqual(
      (await repo.referrers(subject.digest, { artifactType: 'application/spdx+json' })).map((d) => d.digest),
      [sbom.digest],
    );
    const index = await repo.fetchManifest(referrersTagFor(subject.digest));
    assert.equal(index.descriptor.mediaType, MediaType.OciIndex);
  });

  test('a referrer written into the fallback index by another tool is kept when we add ours', async () => {
    const subject = await pushArtifact(repo, 'shared-subject', { files: { 'b.yaml': 'b: 2\n' } });
    // Another tool: its referrer manifest is stored without our client's index upkeep, and it wrote
    // the fallback index itself.
    const foreign = artifactManifest({ artifactType: 'application/vnd.foreign', subject, files: { f: 'foreign' } });
    await repo.pushBlob(bufferSource(Buffer.from('{}')));
    for (const blob of foreign.blobs) await repo.pushBlob(bufferSource(blob));
    const foreignDescriptor = (await pushManifestOnly(repo, foreign.bytes, MediaType.OciManifest, digestOf(foreign.bytes))).descriptor;
    const foreignIndex = {
      schemaVersion: 2,
      mediaType: MediaType.OciIndex,
      manifests: [{ ...foreignDescriptor, artifactType: 'application/vnd.foreign' }],
    };
    await pushManifestOnly(repo, Buffer.from(JSON.stringify(foreignIndex)), MediaType.OciIndex, referrersTagFor(subject.digest));
    const ours = await pushArtifact(repo, undefined, { artifactType: 'application/vnd.ours', subject, files: { o: 'o' } });
    const digests = (await repo.referrers(subject.digest)).map((d) => d.digest);
    assert.ok(digests.includes(foreignDescriptor.digest), 'the foreign referrer survived');
    assert.ok(digests.includes(ours.digest));
  });

  test('deleting a referrer removes it from the fallback index', async () => {
    const subject = await pushArtifact(repo, 'delete-subject', { files: { 'c.yaml': 'c: 3\n' } });
    const referrer = await pushArtifact(repo, undefined, { artifactType: 'application/vnd.gone', subject, files: { g: 'g' } });
    await repo.deleteManifest(referrer.digest);
    assert.deepEqual(await repo.referrers(subject.digest), []);
  });

  test('deleting a tag alone is refused by Distribution 2.8 with what to do instead', async () => {
    await pushArtifact(repo, 'keep-me', { files: { 'd.yaml': 'd: 4\n' } });
    await assert.rejects(
      repo.deleteTag('keep-me'),
      (error: unknown) => isOciError(error, 'UNSUPPORTED') && /Delete the manifest by digest/.test((error as Error).message),
    );
    assert.ok(await repo.resolve('keep-me'));
  });

  test('a missing repository is NAME_UNKNOWN naming registry and repository', async () => {
    await assert.rejects(
      client.repository(parseReference(`${registry.host}/no/such-repo`)).tagPage(),
      (error: unknown) => isOciError(error, 'NAME_UNKNOWN') && (error as Error).message.includes(`${registry.host}/no/such-repo`),
    );
  });

  test('a missing tag is MANIFEST_UNKNOWN with a hint to list the tags', async () => {
    await assert.rejects(
      repo.fetchManifest('does-not-exist'),
      (error: unknown) => isOciError(error, 'MANIFEST_UNKNOWN') && /list the tags/.test((error as Error).message),
    );
  });

  test('an aborted signal cancels a request', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(repo.tagPage({ signal: controller.signal }), (error: unknown) => isOciError(error, 'CANCELLED'));
  });
});
