import { firstHeader } from '../transport/headers';
import { pipeline, type Readable } from 'node:stream';
import { repositoryScope } from '../auth/scope';
import { VerifyingStream } from '../content/digest';
import type { Descriptor } from '../content/descriptor';
import { OciError } from '../errors';
import { validateDigest, formatReference, pinned } from '../reference/reference';
import { type ManifestTarget } from './manifests';
import { discardBody } from '../transport/transport';

/**
 * Streams a blob, following redirects to storage, through a digest and size check: the stream
 * errors instead of ending if the bytes are not the ones the descriptor names. Consumers must read
 * it to its end before trusting any of it, and destroy it when they stop early: that also ends
 * the download, so the connection is freed and closing the client does not wait on it.
 */
export async function fetchBlob(
  t: ManifestTarget,
  descriptor: Pick<Descriptor, 'digest' | 'size'>,
  options: { signal?: AbortSignal; onBytes?: (received: number) => void } = {},
): Promise<Readable> {
  validateDigest(descriptor.digest);
  const response = await t.transport.request({
    registry: t.registry,
    method: 'GET',
    target: `/v2/${t.repository}/blobs/${descriptor.digest}`,
    scopes: [repositoryScope(t.repository, 'pull')],
    signal: options.signal,
    site: { registry: t.registry, repository: t.repository, action: `fetch blob ${descriptor.digest}` },
    // Large layers take time: the deadline grows with the size, at a floor rate of 64 KB/s.
    deadlineMs: t.transport.deadlineMs + Math.ceil(descriptor.size / 64),
  });
  const what = `blob ${formatReference(pinned(t, descriptor.digest))}`;
  const declared = firstHeader(response.headers['content-length']);
  if (declared !== undefined && response.status === 200 && Number(declared) !== descriptor.size) {
    discardBody(response);
    throw new OciError(
      'DIGEST_MISMATCH',
      `Integrity check failed for ${what}: the registry is sending ${declared} bytes but the manifest says ${descriptor.size}`,
      {
        registry: t.registry,
        repository: t.repository,
        hint: 'The registry or a proxy holds different bytes than the manifest names; do not trust this artifact and report it to the registry operator',
      },
    );
  }
  const verifier = new VerifyingStream(descriptor.digest, descriptor.size, what, options.onBytes);
  // pipeline, not pipe: destroying either end destroys the other, so no download is left open.
  pipeline(response.body, verifier, () => undefined);
  return verifier;
}

/** Reads a small blob (a config, a signature) into memory, verified, refusing anything over `maxBytes`. */
export async function fetchBlobBytes(
  t: ManifestTarget,
  descriptor: Pick<Descriptor, 'digest' | 'size'>,
  options: { signal?: AbortSignal; maxBytes?: number } = {},
): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  if (descriptor.size > maxBytes) {
    throw new OciError(
      'TOO_LARGE',
      `Blob ${descriptor.digest} is ${descriptor.size} bytes, over the ${maxBytes}-byte limit for reading into memory`,
      {
        registry: t.registry,
        repository: t.repository,
      },
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of await fetchBlob(t, descriptor, options)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** HEADs a blob; undefined when the repository does not have it. */
export async function statBlob(t: ManifestTarget, digest: string, options: { signal?: AbortSignal } = {}): Promise<Descriptor | undefined> {
  validateDigest(digest);
  const response = await t.transport.request({
    registry: t.registry,
    method: 'HEAD',
    target: `/v2/${t.repository}/blobs/${digest}`,
    scopes: [repositoryScope(t.repository, 'pull')],
    signal: options.signal,
    accept: [404],
    site: { registry: t.registry, repository: t.repository, action: `check blob ${digest}` },
  });
  await response.body.dump();
  if (response.status === 404) return undefined;
  return { mediaType: 'application/octet-stream', digest, size: Number(firstHeader(response.headers['content-length']) ?? NaN) };
}
