import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideCosignTag } from '../../src/artifact/copy/cosignTags';
import type { Descriptor, ImageManifest } from '../../src/oci';

// Layers as cosign writes them into `sha256-<hex>.sig` (pkg/oci/static, pkg/oci/mutate): the
// simple-signing payload, its signature in the dev.cosignproject.cosign/signature annotation.
const layer = (payload: string, signature: string): Descriptor => ({
  mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
  digest: `sha256:${payload.padEnd(64, '0')}`,
  size: 250,
  annotations: { 'dev.cosignproject.cosign/signature': signature },
});
const sig = (...layers: Descriptor[]): ImageManifest => ({
  schemaVersion: 2,
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'c'.repeat(64)}`, size: 10 },
  layers,
});

const staging = layer('a', 'MEUCIQ-staging');
const production = layer('a', 'MEUCIQ-production');
const other = layer('b', 'MEUCIQ-other');

test('the destination holding none of the source signatures beside its own gets both, its own first', () => {
  assert.deepEqual(decideCosignTag(sig(staging), sig(production)), { action: 'merge', layers: [production, staging], added: [staging] });
});

test('the destination holding only signatures the source has takes the source manifest as it is', () => {
  assert.deepEqual(decideCosignTag(sig(staging, other), sig(staging)), { action: 'copy' });
});

test('the destination holding every source signature is left alone', () => {
  assert.deepEqual(decideCosignTag(sig(staging), sig(production, staging)), { action: 'unchanged' });
});

test('the same payload signed twice (ECDSA is randomised) is two signatures, not one', () => {
  assert.equal(decideCosignTag(sig(staging), sig(production)).action, 'merge');
});

test('an annotation in another order is the same signature', () => {
  const a = { ...staging, annotations: { x: '1', 'dev.cosignproject.cosign/signature': 'S' } };
  const b = { ...staging, annotations: { 'dev.cosignproject.cosign/signature': 'S', x: '1' } };
  assert.deepEqual(decideCosignTag(sig(a), sig(b)), { action: 'unchanged' });
});

test('an index under a cosign tag is not merged', () => {
  assert.equal(decideCosignTag({ schemaVersion: 2, manifests: [] }, sig(staging)).action, 'incompatible');
});
