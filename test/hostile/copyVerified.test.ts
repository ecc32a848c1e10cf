import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { digestOf, MediaType, OciClient, parseReference, VerifyingStream, type Descriptor } from '../../src/oci';
import { cli } from '../support/cli';
import { FakeRegistry } from '../support/fakeRegistry';
import { swapStoredBlob } from '../support/hostileArtifacts';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { UncheckedRegistry } from '../support/uncheckedRegistry';
import { artifactManifest, patternBytes, pushArtifact } from '../integration/fixtures';

/**
 * Issue 19, item 3: no byte of a blob whose digest fails reaches a destination in a form it can
 * commit, and a blob is mounted only after this copy read and verified it. The blob that lies is
 * 1 MiB whose last byte alone differs, the hardest case for a check made at the end.
 */
const files = { 'big.bin': patternBytes(1024 * 1024, 19).toString('latin1') };
const honest = artifactManifest({ files }).blobs[0];
const swapped = Buffer.from(honest);
swapped[swapped.length - 1] ^= 0xff;
const noTrace = (stderr: string) => assert.doesNotMatch(stderr, /unexpected error|\n\s+at /, 'a message, not a stack trace');

test('the verifying stream passes nothing of the last chunk on when the digest fails', async () => {
  const verifier = new VerifyingStream(digestOf(honest), honest.length, 'a test blob');
  const passed: Buffer[] = [];
  verifier.on('data', (chunk: Buffer) => passed.push(chunk));
  const failed = new Promise<Error>((resolve) => verifier.on('error', resolve));
  for (let offset = 0; offset < swapped.length; offset += 64 * 1024) verifier.write(swapped.subarray(offset, offset + 64 * 1024));
  verifier.end();
  assert.match((await failed).message, /Integrity check failed for a test blob/);
  const last = swapped.length % (64 * 1024) || 64 * 1024;
  assert.equal(Buffer.concat(passed).length, swapped.length - last, 'the last chunk was held back');
});

describe('a destination that checks no digest never commits a blob whose bytes lie', { timeout: 60_000 }, () => {
  let source: FakeRegistry;
  let destination: UncheckedRegistry;
  let layerDigest: string;
  before(async () => {
    source = await new FakeRegistry().start();
    destination = await new UncheckedRegistry().start();
    const { bytes, blobs } = artifactManifest({ files });
    source.addBlob(Buffer.from('{}'));
    layerDigest = source.addBlob(blobs[0]);
    source.addManifest('app', bytes, MediaType.OciManifest, ['v1']);
    source.tampered.set(layerDigest, swapped);
  });
  after(async () => {
    await source?.stop();
    await destination?.stop();
  });

  test('the copy fails with the integrity error, the upload session is deleted, and no blob, manifest or tag is committed; so does its rerun', async () => {
    for (const attempt of ['first', 'rerun']) {
      const run = await cli(['copy', `${source.host}/app:v1`, `${destination.host}/prod/app`]);
      noTrace(run.stderr);
      assert.equal(run.code, 1, `${attempt}: ${run.stderr}`);
      assert.match(run.stderr, new RegExp(`could not copy blob ${layerDigest} .*Integrity check failed`, 'i'));
      assert.deepEqual(
        destination.commits.filter((c) => c.claimed === layerDigest),
        [],
        `${attempt}: the swapped bytes were not committed`,
      );
      assert.equal(destination.sessions.size, 0, `${attempt}: no upload session holds bytes`);
      assert.deepEqual([...destination.tags.keys()], [], `${attempt}: no tag`);
      assert.equal(destination.manifests.size, 0, `${attempt}: no manifest`);
    }
    assert.equal(destination.deletedSessions.length, 2, 'each run deleted its session');
  });
});

describe('a blob swapped in a real Distribution storage is not copied, uploaded or mounted', { timeout: 120_000 }, () => {
  let staging: RunningRegistry;
  let production: RunningRegistry;
  let client: OciClient;
  let artifact: Descriptor;
  before(async () => {
    [staging, production] = await Promise.all([startRegistry({ auth: 'none' }), startRegistry({ auth: 'none' })]);
    client = new OciClient();
    const repo = client.repository(parseReference(`${staging.host}/team/app`));
    artifact = await pushArtifact(repo, 'v1', { files });
    await pushArtifact(repo, 'honest', { files: { 'small.yaml': 'a: 1\n' } });
    swapStoredBlob(staging.dataDir, digestOf(honest), swapped);
  });
  after(async () => {
    await client?.close();
    await staging?.stop();
    await production?.stop();
  });

  /**
   * The bytes each upload session of `repository` holds. Distribution refuses the DELETE of a
   * session whose PUT was cut off (its signed state still says offset 0), so such a session stays
   * until Distribution's upload purge; what matters is that it never holds the whole blob.
   */
  const sessionBytes = (registry: RunningRegistry, repository: string) => {
    const folder = join(registry.dataDir, 'docker', 'registry', 'v2', 'repositories', repository, '_uploads');
    if (!existsSync(folder)) return [];
    return readdirSync(folder).map((id) => (existsSync(join(folder, id, 'data')) ? statSync(join(folder, id, 'data')).size : 0));
  };
  const absent = async (registry: RunningRegistry, repository: string) => {
    const repo = client.repository(parseReference(`${registry.host}/${repository}`));
    await assert.rejects(repo.resolve('v1'), /MANIFEST_UNKNOWN|NAME_UNKNOWN|unknown/i, 'no tag');
    await assert.rejects(repo.resolve(artifact.digest), /MANIFEST_UNKNOWN|NAME_UNKNOWN|unknown/i, 'no manifest');
    assert.equal(await repo.blobExists(digestOf(honest)), undefined, 'no blob');
    const sessions = sessionBytes(registry, repository);
    assert.ok(
      sessions.every((bytes) => bytes < honest.length),
      `no upload session holds the whole blob (${sessions.join(', ')} of ${honest.length} bytes)`,
    );
  };

  test('to another registry: exit 1 with the integrity error, and nothing at the destination, the rerun alike', async () => {
    for (const attempt of ['first', 'rerun']) {
      const run = await cli(['copy', `${staging.host}/team/app:v1`, `${production.host}/prod/app`]);
      noTrace(run.stderr);
      assert.equal(run.code, 1, `${attempt}: ${run.stderr}`);
      assert.match(run.stderr, /Integrity check failed for blob/);
      await absent(production, 'prod/app');
    }
  });

  test('within the registry: the blob is read before any mount, so the corrupt one is not mounted or tagged', async () => {
    const run = await cli(['copy', `${staging.host}/team/app:v1`, `${staging.host}/other/app`]);
    noTrace(run.stderr);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /Integrity check failed for blob/);
    await absent(staging, 'other/app');
  });

  test('within the registry, an intact blob is still mounted once it has been read and verified', async () => {
    const run = await cli(['copy', `${staging.host}/team/app:honest`, `${staging.host}/mounted/app`, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.blobs.mounted, 2, 'config and layer mounted');
    assert.equal(report.blobs.copied, 0);
    const repo = client.repository(parseReference(`${staging.host}/mounted/app`));
    assert.ok(await repo.blobExists(digestOf(Buffer.from('a: 1\n'))));
  });
});
