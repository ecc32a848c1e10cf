import { bufferSource, digestOf, MediaType, type Descriptor, type ImageManifest, type OciClient } from '../../src/oci';
import { legacyCosignSignature } from '../sandbox/seed';
import { pushArtifact } from '../integration/fixtures';

/** What `seedDescribedArtifacts` pushed, by role, for assertions. */
export interface DescribedSeed {
  /** `apps/signed:1.0.0`: an ORAS-style artifact with an SPDX SBOM in the fallback index and a cosign `.sig` tag. */
  signed: { repository: string; tag: string; digest: string; sbom: Descriptor; signature: Descriptor };
  /** `images/multi:2.0.0`: an index of linux/amd64, linux/arm/v7 and an entry known only by its artifactType. */
  index: { repository: string; tag: string };
  /** `misc/odd:1`: a config and a layer of types no kind knows. */
  unknown: { repository: string; tag: string; mediaTypes: string[] };
}

/**
 * One registry's worth of artifacts whose descriptions differ in every way the views show: a
 * signed artifact whose referrers are found two ways (the fallback tag Distribution 2.8 needs, as
 * oras and our push write it; cosign 2's `.sig` tag), an index, and an artifact of an unknown kind.
 */
export async function seedDescribedArtifacts(client: OciClient, host: string): Promise<DescribedSeed> {
  const signedRepo = `${host}/apps/signed`;
  const repo = client.repository(signedRepo);
  const subject = await pushArtifact(repo, '1.0.0', {
    artifactType: 'application/vnd.example.config.v1',
    files: { 'app.yaml': 'replicas: 2\n' },
  });
  // Pushed by digest with a subject: Distribution 2.8 has no referrers API, so the client records it in the sha256-<hex> tag.
  const sbom = await pushArtifact(repo, undefined, {
    artifactType: 'application/spdx+json',
    files: { 'sbom.spdx.json': '{"spdxVersion":"SPDX-2.3"}' },
    subject,
  });
  const signature = await legacyCosignSignature(client, signedRepo, subject.digest);

  const images = client.repository(`${host}/images/multi`);
  const entries: Descriptor[] = [];
  for (const [platform, artifactType] of [
    [{ os: 'linux', architecture: 'amd64' }, undefined],
    [{ os: 'linux', architecture: 'arm', variant: 'v7' }, undefined],
    [undefined, 'application/vnd.example.attachment.v1'],
  ] as const) {
    const pushed = await pushArtifact(images, undefined, {
      artifactType: artifactType ?? 'application/vnd.example.platform.v1',
      files: { 'bin.txt': `${platform ? `${platform.os}/${platform.architecture}` : 'attachment'}\n` },
    });
    entries.push({ ...pushed, ...(platform ? { platform: { ...platform } } : {}), ...(artifactType ? { artifactType } : {}) });
  }
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: entries }));
  await images.pushManifest(index, MediaType.OciIndex, '2.0.0');

  const odd = client.repository(`${host}/misc/odd`);
  const config = Buffer.from('{"odd":true}');
  const layer = Buffer.from('not a tarball');
  await odd.pushBlob(bufferSource(config));
  await odd.pushBlob(bufferSource(layer));
  const mediaTypes = ['application/vnd.acme.odd.config.v1+json', 'application/vnd.acme.odd.layer.v1'];
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config: { mediaType: mediaTypes[0], digest: digestOf(config), size: config.length },
    layers: [{ mediaType: mediaTypes[1], digest: digestOf(layer), size: layer.length }],
  };
  await odd.pushManifest(Buffer.from(JSON.stringify(manifest)), MediaType.OciManifest, '1');

  return {
    signed: { repository: signedRepo, tag: '1.0.0', digest: subject.digest, sbom, signature },
    index: { repository: `${host}/images/multi`, tag: '2.0.0' },
    unknown: { repository: `${host}/misc/odd`, tag: '1', mediaTypes },
  };
}
