import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { listAttached } from '../../src/artifact/attached';
import {
  copyPreview,
  copyResultText,
  destinationMoves,
  executeCopy,
  planCopy,
  referrersByKind,
  withoutReferrers,
} from '../../src/artifact/copy';
import { OciClient, type Descriptor, type RepositoryApi, parseReference } from '../../src/oci';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { pushArtifact } from './fixtures';

/**
 * The confirmation an editor shows before Copy To… and Promote…, built from a real plan against
 * a real registry (Distribution: referrers through the `sha256-<hex>` fallback index): what it
 * counts, by kind, how many bytes, and what happens to the destination tag.
 */
describe('the copy preview: what will be copied, and what happens to the destination tag', () => {
  let registry: RunningRegistry;
  let client: OciClient;
  let source: RepositoryApi;
  let artifact: Descriptor;
  let other: Descriptor;
  const layerText = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n';

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    client = new OciClient();
    source = client.repository(parseReference(`${registry.host}/staging/web`));
    artifact = await pushArtifact(source, '1.0.0', { files: { 'web.yaml': layerText } });
    // Two signatures (a Sigstore bundle and a notation signature), one SPDX SBOM, one in-toto attestation.
    for (const [artifactType, content] of [
      ['application/vnd.dev.sigstore.bundle.v0.3+json', '{"bundle":1}'],
      ['application/vnd.cncf.notary.signature', '{"notation":1}'],
      ['application/spdx+json', '{"spdxVersion":"SPDX-2.3"}'],
      ['application/vnd.in-toto+json', '{"_type":"https://in-toto.io/Statement/v1"}'],
    ])
      await pushArtifact(source, undefined, { artifactType, subject: artifact, files: { 'x.json': content } });
    other = await pushArtifact(client.repository(parseReference(`${registry.host}/prod/web`)), 'prod', {
      files: { 'old.yaml': 'old: 1\n' },
    });
  });
  after(async () => {
    await client?.close();
    await registry?.stop();
  });

  test('counts manifests, referrers by kind and bytes, and says a new tag is created', async () => {
    const plan = await planCopy(source, '1.0.0', { referrers: true });
    const to = client.repository(parseReference(`${registry.host}/prod/new`));
    const preview = copyPreview(plan, to, [{ tag: '1.0.0' }], await destinationMoves(plan, to, ['1.0.0']));
    assert.equal(preview.message, `Copy ${registry.host}/staging/web:1.0.0 to ${registry.host}/prod/new:1.0.0?`);
    assert.equal(preview.movesTags, false);
    assert.equal(preview.referrers, 4);
    const lines = preview.detail.split('\n');
    assert.ok(lines.includes(`Digest: ${artifact.digest} (the copy keeps it)`), preview.detail);
    assert.ok(lines.includes('Manifests: 1 manifest of the artifact, 5 with what is attached'), preview.detail);
    assert.ok(lines.includes('Referrers: 2 signatures, 1 SBOM, 1 attestation'), preview.detail);
    // Blobs: the empty config `{}` (shared), the layer, and one file per referrer.
    const bytes =
      2 + layerText.length + '{"bundle":1}{"notation":1}{"spdxVersion":"SPDX-2.3"}{"_type":"https://in-toto.io/Statement/v1"}'.length;
    assert.equal(plan.summary.totalBytes, bytes);
    assert.ok(
      lines.some((l) => l.startsWith(`Bytes: ${bytes} B in 6 blobs at most`)),
      preview.detail,
    );
    assert.ok(lines.includes(`Tag 1.0.0: created, pointing at ${artifact.digest}`), preview.detail);
  });

  test('a destination tag that points elsewhere is shown moving, with both digests in full', async () => {
    const plan = await planCopy(source, '1.0.0', { referrers: true });
    const to = client.repository(parseReference(`${registry.host}/prod/web`));
    const moves = await destinationMoves(plan, to, ['prod']);
    const preview = copyPreview(plan, to, [{ tag: 'prod', current: other.digest }], moves, 'Promote');
    assert.equal(preview.movesTags, true);
    assert.equal(preview.message, `Promote ${registry.host}/staging/web:1.0.0 to ${registry.host}/prod/web and move tag prod?`);
    assert.match(preview.detail, new RegExp(`Tag prod MOVES:\\n  now:   ${other.digest}\\n  after: ${artifact.digest}`));
  });

  test('a tag already at the digest is unchanged, and a rerun says nothing was copied', async () => {
    const plan = await planCopy(source, '1.0.0', { referrers: true });
    const to = client.repository(parseReference(`${registry.host}/prod/again`));
    // One registry: every blob is mounted from the source repository, none transferred.
    const first = await executeCopy(plan, to, { tags: ['1.0.0'] });
    assert.match(
      copyResultText(first),
      new RegExp(
        `^Copied ${registry.host}/prod/again@${artifact.digest.slice(0, 19)}… \\(0 blobs copied, 6 mounted, 0 skipped; 4 referrers\\)$`,
      ),
    );
    const preview = copyPreview(plan, to, [{ tag: '1.0.0', current: artifact.digest }], await destinationMoves(plan, to, ['1.0.0']));
    assert.ok(preview.detail.includes('Tag 1.0.0: already points at this digest, unchanged'), preview.detail);
    const second = await executeCopy(plan, to, { tags: ['1.0.0'] });
    assert.match(copyResultText(second), /^Nothing to copy: .* was already there \(0 blobs copied, 0 mounted, 6 skipped; 4 referrers\)$/);
  });

  test('leaving the referrers behind copies the artifact alone: same digest, nothing attached at the destination', async () => {
    const whole = await planCopy(source, '1.0.0', { referrers: true });
    const plan = withoutReferrers(whole);
    assert.deepEqual(plan.summary.referrers, { signature: 0, sbom: 0, attestation: 0, other: 0 });
    assert.equal(plan.summary.totalBytes, 2 + layerText.length, 'the empty config and the layer');
    assert.equal(whole.summary.referrers.signature, 2, 'the plan it came from is unchanged');
    const to = client.repository(parseReference(`${registry.host}/prod/alone`));
    const preview = copyPreview(plan, to, [{ tag: '1.0.0' }], await destinationMoves(plan, to, ['1.0.0']));
    assert.ok(preview.detail.split('\n').includes('Referrers: none'), preview.detail);
    assert.equal(preview.referrers, 0);
    const result = await executeCopy(plan, to, { tags: ['1.0.0'] });
    assert.equal(result.pinned, `${registry.host}/prod/alone@${artifact.digest}`);
    assert.deepEqual(await listAttached(to, artifact.digest), [], 'no signature, SBOM or attestation was copied');
  });

  test('referrers by kind are named in the singular or plural, and "none" when nothing is attached', () => {
    assert.equal(referrersByKind({ signature: 1, sbom: 2, attestation: 0, other: 1 }), '1 signature, 2 SBOMs, 1 other referrer');
    assert.equal(referrersByKind({ signature: 0, sbom: 0, attestation: 0, other: 0 }), 'none');
  });
});
