import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { bufferSource, digestOf, fileSource, MediaType, OciClient, parseReference } from '../../src/oci';

/**
 * Pushes `host/bench/app:v1`: a Flux artifact (as `flux push artifact` lays it out) with one
 * incompressible layer of `size` bytes, written to `dir` first so it is streamed, not held.
 */
export async function pushBigArtifact(host: string, dir: string, size: number): Promise<void> {
  const path = join(dir, 'layer.tar.gz');
  const out = createWriteStream(path);
  const hash = createHash('sha256');
  for (let written = 0; written < size; written += 1024 * 1024) {
    const chunk = randomBytes(Math.min(1024 * 1024, size - written));
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const layer = { mediaType: MediaType.FluxContent, digest: `sha256:${hash.digest('hex')}`, size };
  const config = Buffer.from('{}');
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.OciManifest,
      config: { mediaType: MediaType.FluxConfig, digest: digestOf(config), size: config.length },
      layers: [layer],
      annotations: { 'org.opencontainers.image.created': '2026-01-01T00:00:00Z' },
    }),
  );
  const client = new OciClient();
  try {
    const repo = client.repository(parseReference(`${host}/bench/app`));
    await repo.pushBlob(bufferSource(config));
    await repo.pushBlob(fileSource(path, layer.digest, layer.size));
    await repo.pushManifest(manifest, MediaType.OciManifest, 'v1');
  } finally {
    await client.close();
  }
}
