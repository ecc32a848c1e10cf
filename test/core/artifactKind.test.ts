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

  test('a Tekton bundle wins over the Docker image config tkn writes it with', () => {
    const layer = d('application/vnd.docker.image.rootfs.diff.tar.gzip', {
      'dev.tekton.image.kind': 'task',
      'dev.tekton.image.name': 'lint',
    });
    assert.equal(recognise(manifest('application/vnd.docker.container.image.v1+json', [layer])).kind.id, 'tekton-bundle');
  });

  test('a lone v1 wasm layer is a Kubewarden policy (kwctl push); the TAG Runtime layout is a WASM module', () => {
    assert.equal(
      recognise(manifest('application/vnd.wasm.config.v1+json', [d('application/vnd.wasm.content.layer.v1+wasm')])).kind.id,
      'kubewarden-policy',
    );
    assert.equal(recognise(manifest('application/vnd.wasm.config.v0+json', [d('application/wasm')])).kind.id, 'wasm');
  });

  test('an OpenTofu provider platform manifest wins over the image config oras writes for --artifact-platform', () => {
    const target = manifest(MediaType.OciImageConfig, [d('archive/zip')], 'application/vnd.opentofu.provider-target');
    assert.equal(recognise(target).kind.id, 'opentofu-provider');
    assert.equal(
      recognise({ schemaVersion: 2, mediaType: MediaType.OciIndex, artifactType: 'application/vnd.opentofu.provider', manifests: [] }).kind
        .id,
      'opentofu-provider',
    );
  });

  test('KCL modules by their package annotations, ModelPack models by their artifactType', () => {
    const kcl = {
      ...manifest(EMPTY_DESCRIPTOR.mediaType, [d(MediaType.OciLayerTar)], MediaType.OciLayerTar),
      annotations: { 'org.kcllang.package.name': 'web' },
    };
    assert.equal(recognise(kcl).kind.id, 'kcl-module');
    const model = manifest(
      'application/vnd.cncf.model.config.v1+json',
      [d('application/vnd.cncf.model.weight.v1.raw')],
      'application/vnd.cncf.model.manifest.v1+json',
    );
    assert.equal(recognise(model).kind.id, 'ml-model');
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
