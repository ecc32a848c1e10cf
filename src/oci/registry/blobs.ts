import type { Readable } from 'node:stream';
import { repositoryScope } from '../auth/scope';
import { VerifyingStream } from '../content/digest';
import type { Descriptor } from '../content/descriptor';
import { OciError } from '../errors';
import { validateDigest } from '../reference/reference';
import { single, type ManifestTarget } from './manifests';

/**
 * Streams a blob, following redirects to storage, through a digest and size check: the stream
 * errors instead of ending if the bytes are not the ones the descriptor names.
 */
export async function fetchBlob(t: ManifestTarget, descriptor: Pick<Descriptor, 'digest' | 'size'>, options: { signal?: AbortSignal } = {}): Promise<Readable> {
  validateDigest(descriptor.digest);
  const response = await t.transport.request({
    registry: t.registry,
    method: 'GET',
    target: `/v2/${t.repository}/blobs/${descriptor.digest}`,
    scopes: [repositoryScope(t.repository, 'pull')],
    signal: options.signal,
    site: { registry: t.registry, repository: t.repository, action: `fetch blob ${descriptor.digest}` },
  });
  const verifier = new VerifyingStream(descriptor.digest, descriptor.size, `blob ${t.registry}/${t.repository}@${descriptor.digest}`);
  response.body.on('error', (error) => verifier.destroy(error));
  return response.body.pipe(verifier);
}

/** Reads a small blob (a config, a signature) into memory, verified, refusing anything over `maxBytes`. */
export async function fetchBlobBytes(t: ManifestTarget, descriptor: Pick<Descriptor, 'digest' | 'size'>, options: { signal?: AbortSignal; maxBytes?: number } = {}): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  if (descriptor.size > maxBytes) {
    throw new OciError('TOO_LARGE', `Blob ${descriptor.digest} is ${descriptor.size} bytes, over the ${maxBytes}-byte limit for reading into memory`, {
      registry: t.registry,
      repository: t.repository,
    });
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
  return { mediaType: 'application/octet-stream', digest, size: Number(single(response.headers['content-length']) ?? NaN) };
}

