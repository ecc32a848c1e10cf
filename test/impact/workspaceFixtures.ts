import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  bufferSource,
  digestOf,
  EMPTY_DESCRIPTOR,
  MediaType,
  type Descriptor,
  type ImageManifest,
  type RepositoryApi,
} from '../../src/oci';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'impact');

/** The example registries the upstream documentation uses, all pointed at one local repository. */
const DOC_REPOSITORIES = [
  'ghcr.io/stefanprodan/manifests/podinfo',
  'registry.example.com/manifests/podinfo',
  'registry-1.docker.io/some-user/my-custom-image',
];

/** An upstream example from test/fixtures/impact, its repository replaced by `repository` and its placeholders filled. */
export function fixture(name: string, repository: string, fill: Record<string, string> = {}): string {
  let text = readFileSync(join(FIXTURES, name), 'utf8');
  for (const doc of DOC_REPOSITORIES) text = text.replaceAll(doc, repository);
  for (const [placeholder, value] of Object.entries(fill)) text = text.replaceAll(placeholder, value);
  return text;
}

/** A fresh workspace folder holding `files` (relative path → text). */
export function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'oci-gitops-impact-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

export function base64(text: string | Buffer): string {
  return Buffer.from(text).toString('base64');
}

export function cosignKeyPair(): { privateKey: KeyObject; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** Pushes a one-layer artifact of the given layer media type (a gzip body, as Flux and Argo CD read it) under `tag`. */
export async function pushCandidate(
  repo: RepositoryApi,
  tag: string,
  layerMediaType: string = MediaType.OciLayerTarGzip,
  content = `kind: ConfigMap # ${tag}\n`,
): Promise<Descriptor> {
  const layer = gzipSync(Buffer.from(content));
  await repo.pushBlob(bufferSource(Buffer.from('{}')));
  await repo.pushBlob(bufferSource(layer));
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    artifactType: 'application/vnd.oci-gitops.test.v1',
    config: { ...EMPTY_DESCRIPTOR },
    layers: [{ mediaType: layerMediaType, digest: digestOf(layer), size: layer.length }],
  };
  return repo.pushManifest(Buffer.from(JSON.stringify(manifest)), MediaType.OciManifest, tag);
}
