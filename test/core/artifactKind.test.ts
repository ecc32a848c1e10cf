import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isAccessoryTag, recognise } from '../../src/artifact/kinds';
import { EMPTY_DESCRIPTOR, MediaType, type ImageManifest } from '../../src/oci';

const d = (mediaType: string, annotations?: Record<string, string>) => ({
  mediaType,
  digest: `sha256:${'0'.repeat(64)}`,
  size: 1,
  ...(annotations ? { annotations } : {}),
});
const manifest = (config: string, layers: ReturnType<typeof d>[], artifactType?: string): ImageManifest => ({
  schemaVersion: 2,
  mediaType: MediaType.OciManifest,
  ...(artifactType ? { artifactType } : {}),
  config: config === EMPTY_DESCRIPTOR.mediaType ? { ...EMPTY_DESCRIPTOR } : d(config),
  layers,
});

describe('recognising artifact kinds from the manifest', () => {
  test('flux push artifact: Flux config and content layer', () => {
    assert.equal(recognise(manifest(MediaType.FluxConfig, [d(MediaType.FluxContent)])).kind.id, 'flux-manifests');
  });

  test('a single tar+gzip layer is a manifests tarball', () => {
    assert.equal(
      recognise(manifest(EMPTY_DESCRIPTOR.mediaType, [d(MediaType.OciLayerTarGzip)], 'application/vnd.oci-gitops.manifests.v1')).kind.id,
      'manifests-tarball',
    );
  });

  test('titled layers are ORAS files', () => {
    const m = manifest(
      EMPTY_DESCRIPTOR.mediaType,
      [
        d('application/yaml', { 'org.opencontainers.image.title': 'a.yaml' }),
        d('application/yaml', { 'org.opencontainers.image.title': 'b.yaml' }),
      ],
      'application/vnd.example',
    );
    assert.equal(recognise(m).kind.id, 'oras-files');
  });

  test('Helm charts by config type', () => {
    assert.equal(recognise(manifest(MediaType.HelmConfig, [d(MediaType.HelmChart)])).kind.id, 'helm-chart');
  });

  test('container images by image config', () => {
    assert.equal(
      recognise(manifest(MediaType.OciImageConfig, [d(MediaType.OciLayerTarGzip), d(MediaType.OciLayerTarGzip)])).kind.id,
      'image',
    );
  });

  test('accessories by artifactType: cosign, sigstore bundle, notation, SBOMs, in-toto', () => {
    const kinds = [
      'application/vnd.dev.cosign.artifact.sig.v1+json',
      'application/vnd.dev.sigstore.bundle.v0.3+json',
      'application/vnd.cncf.notary.signature',
      'application/spdx+json',
      'application/vnd.cyclonedx+json',
      'application/vnd.in-toto+json',
    ].map((type) => recognise(manifest(EMPTY_DESCRIPTOR.mediaType, [d('application/octet-stream')], type)).kind.id);
    assert.deepEqual(kinds, [
      'cosign-signature',
      'sigstore-bundle',
      'notation-signature',
      'sbom-spdx',
      'sbom-cyclonedx',
      'in-toto-attestation',
    ]);
  });

  test('legacy cosign .sig manifests by their simple-signing layers', () => {
    assert.equal(
      recognise(manifest('application/vnd.oci.image.config.v1+json', [d('application/vnd.dev.cosign.simplesigning.v1+json')])).kind.id,
      'cosign-signature',
    );
  });

  test('an index without artifactType is an image index', () => {
    assert.equal(recognise({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [] }).kind.id, 'image-index');
  });

  test('anything else is unknown and shows its media types', () => {
    const r = recognise(manifest('application/vnd.acme.config', [d('application/vnd.acme.blob')]));
    assert.equal(r.kind.id, 'unknown');
    assert.deepEqual(r.mediaTypes, ['application/vnd.acme.config', 'application/vnd.acme.blob']);
  });
});

describe('accessory tags', () => {
  test('cosign and referrers fallback tags are accessories, release tags are not', () => {
    const hex = 'a'.repeat(64);
    assert.ok(isAccessoryTag(`sha256-${hex}.sig`));
    assert.ok(isAccessoryTag(`sha256-${hex}.att`));
    assert.ok(isAccessoryTag(`sha256-${hex}`));
    assert.ok(!isAccessoryTag('1.0.0'));
    assert.ok(!isAccessoryTag('sha256-short'));
  });
});
