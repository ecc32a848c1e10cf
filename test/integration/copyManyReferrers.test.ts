import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { copyArtifact } from '../../src/artifact/copy';
import { digestOf, MediaType, OciClient, parseReference, referrersTagFor, type Descriptor, type RepositoryApi } from '../../src/oci';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { artifactManifest, pushArtifact } from './fixtures';

const COUNT = 200;

/**
 * Issue 19, item 6: copying many referrers of one subject to a registry without the referrers API
 * (Distribution) costs requests in proportion to their number: the destination's fallback tag
 * index is written once per subject, not rewritten (read, write, read back) once per referrer,
 * which grew as n² in requests' bytes and took 8 min 49 s for 3,000 referrers.
 */
describe(`copy --referrers of ${COUNT} referrers of one subject between two Distributions`, { timeout: 300_000 }, () => {
  let staging: RunningRegistry;
  let production: RunningRegistry;
  let client: OciClient;
  let source: RepositoryApi;
  let subject: Descriptor;
  before(async () => {
    [staging, production] = await Promise.all([startRegistry({ auth: 'none' }), startRegistry({ auth: 'none', accessLog: true })]);
    client = new OciClient();
    source = client.repository(parseReference(`${staging.host}/team/app`));
    subject = await pushArtifact(source, 'v1', { files: { 'app.yaml': 'replicas: 1\n' } });
    await pushArtifact(source, undefined, { files: { 'sig.json': '{}' } });
    const entries: { subject: string; entry: Descriptor }[] = [];
    for (let i = 0; i < COUNT; i++) {
      const { bytes } = artifactManifest({ subject, files: { 'sig.json': '{}' }, annotations: { run: String(i) } });
      const pushed = await source.pushManifestUnrecorded(bytes, MediaType.OciManifest, digestOf(bytes));
      entries.push(pushed.unrecorded!);
    }
    await source.recordReferrers(
      subject.digest,
      entries.map((e) => e.entry),
    );
  });
  after(async () => {
    await client?.close();
    await staging?.stop();
    await production?.stop();
  });

  test('every referrer arrives, the fallback index is written once, and the destination serves about two requests per referrer', async () => {
    const destination = client.repository(parseReference(`${production.host}/prod/app`));
    const { result } = await copyArtifact(source, 'v1', destination, { referrers: true, tags: ['v1'] });
    assert.deepEqual(result.failures, []);
    assert.equal(result.referrers.copied, COUNT);
    const requests = production.requests();
    const indexWrites = requests.filter((r) => r.startsWith(`PUT /v2/prod/app/manifests/${referrersTagFor(subject.digest)} `));
    assert.equal(indexWrites.length, 1, 'one fallback index write for the subject');
    // Per referrer: a HEAD (is it there?) and a PUT; the rest is a constant (blobs, the root, the tag, the index).
    assert.ok(requests.length <= 2 * COUNT + 30, `${requests.length} requests for ${COUNT} referrers`);
    assert.equal((await destination.referrers(subject.digest)).length, COUNT);
    assert.equal((await destination.resolve('v1')).digest, subject.digest);
  });
});
