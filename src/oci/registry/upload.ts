import { firstHeader } from '../transport/headers';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { repositoryScope } from '../auth/scope';
import { digestOf } from '../content/digest';
import { OciError } from '../errors';
import { validateDigest, validateRepository } from '../reference/reference';
import { backoffDelay, DEFAULT_RETRY, isTransientNetworkError, sleep } from '../transport/retry';
import { statBlob } from './blobs';
import { type ManifestTarget } from './manifests';

/** Content to upload, re-openable at any offset so a failed chunk can be sent again. */
export interface BlobSource {
  digest: string;
  size: number;
  /** Bytes `start` to `end` inclusive. */
  open(start: number, end: number): Readable;
}

export function bufferSource(bytes: Buffer): BlobSource {
  return { digest: digestOf(bytes), size: bytes.length, open: (start, end) => Readable.from([bytes.subarray(start, end + 1)]) };
}

export function fileSource(path: string, digest: string, size: number): BlobSource {
  return { digest, size, open: (start, end) => createReadStream(path, { start, end }) };
}

export interface PushBlobOptions {
  /** Try a cross-repository mount from this repository (same registry) before uploading. */
  mountFrom?: string;
  /**
   * Runs before a mount is asked for, and fails to prevent it: a mount links the source's stored
   * bytes without anyone reading them, so a caller that has not read them checks them here.
   */
  beforeMount?: () => Promise<void>;
  /** Blobs above this size go up in PATCH chunks of this size (default 64 MiB: fewer round trips, while a failed chunk costs little to resend). */
  chunkSize?: number;
  signal?: AbortSignal;
  /** Called with the bytes the registry has confirmed so far. */
  onProgress?: (bytes: number) => void;
}

export interface PushedBlob {
  digest: string;
  size: number;
  how: 'exists' | 'mounted' | 'uploaded';
}

const DEFAULT_CHUNK = 64 * 1024 * 1024;
const MAX_UPLOAD_FAILURES = 4;

/** Uploads a blob unless the repository has it: mount, then monolithic or chunked upload. */
export async function pushBlob(t: ManifestTarget, source: BlobSource, options: PushBlobOptions = {}): Promise<PushedBlob> {
  validateDigest(source.digest);
  if (await statBlob(t, source.digest, options)) {
    options.onProgress?.(source.size);
    return { digest: source.digest, size: source.size, how: 'exists' };
  }
  if (options.mountFrom && options.mountFrom !== t.repository) await options.beforeMount?.();
  const start = await startUpload(t, source.digest, options);
  if (start.mounted) {
    options.onProgress?.(source.size);
    return { digest: source.digest, size: source.size, how: 'mounted' };
  }
  const chunkSize = Math.max(options.chunkSize ?? DEFAULT_CHUNK, start.minChunk, 1);
  const session = { location: start.location };
  try {
    if (source.size <= chunkSize) await monolithic(t, source, session, options);
    else await chunked(t, source, session, chunkSize, options);
  } catch (error) {
    await abandonUpload(t, session.location);
    throw error;
  }
  options.onProgress?.(source.size);
  return { digest: source.digest, size: source.size, how: 'uploaded' };
}

export interface StreamBlobOptions {
  signal?: AbortSignal;
  /** Called with the bytes sent so far. */
  onProgress?: (bytes: number) => void;
}

/**
 * Uploads a blob whose bytes are still being produced (a folder being packed): one upload session,
 * one PATCH whose body is the stream as it comes (chunked transfer encoding, no length), then the
 * PUT that names the digest, computed from the very bytes sent. Nothing is buffered or written to
 * disk, so packing and sending overlap. The digest is not known before, so the registry cannot be
 * asked first whether it has the blob, and a failed PATCH cannot be resumed: callers that may
 * already have pushed the same content, or want retries, pack first and use pushBlob.
 */
export async function pushBlobStream(t: ManifestTarget, stream: Readable, options: StreamBlobOptions = {}): Promise<PushedBlob> {
  const start = await startUpload(t, undefined, options);
  const hash = createHash('sha256');
  let size = 0;
  let opened = false;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of stream) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
      options.onProgress?.(size);
      yield chunk as Buffer;
    }
  }
  let location = start.location;
  try {
    const response = await t.transport.request({
      registry: t.registry,
      method: 'PATCH',
      target: location.href,
      base: location,
      headers: { 'content-type': 'application/octet-stream' },
      body: () => {
        // A stream is sent once: an answer that asks for it again (a token that expired mid-way) fails the upload.
        if (opened)
          throw new OciError('BLOB_UPLOAD_INVALID', `${t.registry} asked for the streamed upload again; it cannot be replayed`, {
            registry: t.registry,
            repository: t.repository,
          });
        opened = true;
        return Readable.from(counted());
      },
      idempotent: false,
      scopes: [repositoryScope(t.repository, 'pull', 'push')],
      signal: options.signal,
      site: { registry: t.registry, repository: t.repository, action: 'stream a blob upload' },
    });
    await response.body.dump();
    const next = firstHeader(response.headers.location);
    if (next) location = new URL(next, response.url);
  } finally {
    // Whatever happened to the request, the producer stops reading files.
    if (!stream.destroyed && !stream.readableEnded) stream.destroy();
  }
  if (!stream.readableEnded)
    throw new OciError('BLOB_UPLOAD_INVALID', `${t.registry} answered the streamed upload before reading all of it`, {
      registry: t.registry,
      repository: t.repository,
    });
  const digest = `sha256:${hash.digest('hex')}`;
  await finish(t, { digest, size, open: () => Readable.from([]) }, location, false, options);
  return { digest, size, how: 'uploaded' };
}

async function startUpload(
  t: ManifestTarget,
  digest: string | undefined,
  options: PushBlobOptions,
): Promise<{ mounted: boolean; location: URL; minChunk: number }> {
  const query: Record<string, string> = {};
  const scopes = [repositoryScope(t.repository, 'pull', 'push')];
  if (digest && options.mountFrom && options.mountFrom !== t.repository) {
    validateRepository(options.mountFrom);
    query.mount = digest;
    query.from = options.mountFrom;
    scopes.push(repositoryScope(options.mountFrom, 'pull'));
  }
  const response = await t.transport.request({
    registry: t.registry,
    method: 'POST',
    target: `/v2/${t.repository}/blobs/uploads/`,
    query,
    headers: { 'content-length': '0' },
    idempotent: true,
    scopes,
    signal: options.signal,
    site: { registry: t.registry, repository: t.repository, action: 'start a blob upload' },
  });
  await response.body.dump();
  if (response.status === 201 && query.mount) return { mounted: true, location: response.url, minChunk: 0 };
  const location = firstHeader(response.headers.location);
  if (response.status !== 202 || !location) {
    throw new OciError('PROTOCOL', `${t.registry} answered the upload request with HTTP ${response.status} and no upload location`, {
      registry: t.registry,
      repository: t.repository,
    });
  }
  return {
    mounted: false,
    location: new URL(location, response.url),
    minChunk: Number(firstHeader(response.headers['oci-chunk-min-length']) ?? 0) || 0,
  };
}

/** The upload session in use: a retry or a registry's answer moves it. */
interface Session {
  location: URL;
}

async function monolithic(t: ManifestTarget, source: BlobSource, session: Session, options: PushBlobOptions): Promise<void> {
  for (let failures = 0; ; failures++) {
    try {
      await finish(t, source, session.location, true, options);
      return;
    } catch (error) {
      if (!isTransientNetworkError(error) || failures + 1 >= MAX_UPLOAD_FAILURES || options.signal?.aborted) throw error;
      // The session may be broken after a half-sent body; a fresh one is the only safe restart.
      await sleep(backoffDelay(DEFAULT_RETRY, failures + 1), options.signal);
      await abandonUpload(t, session.location);
      session.location = (await startUpload(t, source.digest, { ...options, mountFrom: undefined })).location;
    }
  }
}

async function chunked(
  t: ManifestTarget,
  source: BlobSource,
  session: Session,
  chunkSize: number,
  options: PushBlobOptions,
): Promise<void> {
  let offset = 0;
  let failures = 0;
  while (offset < source.size) {
    const end = Math.min(offset + chunkSize, source.size) - 1;
    try {
      const from = offset;
      const response = await t.transport.request({
        registry: t.registry,
        method: 'PATCH',
        target: session.location.href,
        base: session.location,
        headers: {
          'content-type': 'application/octet-stream',
          'content-range': `${from}-${end}`,
          'content-length': String(end - from + 1),
        },
        body: () => source.open(from, end),
        idempotent: false,
        accept: [416],
        scopes: [repositoryScope(t.repository, 'pull', 'push')],
        signal: options.signal,
        site: { registry: t.registry, repository: t.repository, action: `upload bytes ${from}-${end} of ${source.digest}` },
      });
      await response.body.dump();
      if (response.status === 416) {
        // The registry holds a different amount than we thought: ask it, and go on from there.
        ({ offset, location: session.location } = await resume(t, source, session.location, options));
        if (++failures >= MAX_UPLOAD_FAILURES)
          throw new OciError('BLOB_UPLOAD_INVALID', `${t.registry} kept rejecting chunk ranges for ${source.digest}`, {
            registry: t.registry,
            repository: t.repository,
          });
        continue;
      }
      const next = firstHeader(response.headers.location);
      if (next) session.location = new URL(next, response.url);
      const range = parseRange(firstHeader(response.headers.range));
      offset = range === undefined ? end + 1 : range + 1;
      options.onProgress?.(offset);
    } catch (error) {
      if (!isTransientNetworkError(error) || ++failures >= MAX_UPLOAD_FAILURES || options.signal?.aborted) throw error;
      await sleep(backoffDelay(DEFAULT_RETRY, failures), options.signal);
      ({ offset, location: session.location } = await resume(t, source, session.location, options));
    }
  }
  await finish(t, source, session.location, false, options);
}

async function finish(t: ManifestTarget, source: BlobSource, location: URL, withBody: boolean, options: PushBlobOptions): Promise<void> {
  const response = await t.transport.request({
    registry: t.registry,
    method: 'PUT',
    target: location.href,
    base: location,
    query: { digest: source.digest },
    headers: withBody ? { 'content-type': 'application/octet-stream', 'content-length': String(source.size) } : { 'content-length': '0' },
    body: withBody ? () => source.open(0, Math.max(0, source.size - 1)) : undefined,
    idempotent: false,
    scopes: [repositoryScope(t.repository, 'pull', 'push')],
    signal: options.signal,
    site: { registry: t.registry, repository: t.repository, action: `finish the upload of ${source.digest}` },
  });
  await response.body.dump();
  const said = firstHeader(response.headers['docker-content-digest']);
  if (said && said !== source.digest) {
    throw new OciError('DIGEST_MISMATCH', `${t.registry} stored ${said} for the blob uploaded as ${source.digest}`, {
      registry: t.registry,
      repository: t.repository,
    });
  }
}

/**
 * Ends an upload session that will not be finished, so the bytes it holds are dropped rather than
 * left for the registry's purge (Distribution keeps them for a week by default). Best effort, and
 * bounded on its own: it also runs after a cancellation.
 */
async function abandonUpload(t: ManifestTarget, location: URL): Promise<void> {
  try {
    const response = await t.transport.request({
      registry: t.registry,
      method: 'DELETE',
      target: location.href,
      base: location,
      accept: [404, 405],
      idempotent: true,
      scopes: [repositoryScope(t.repository, 'pull', 'push')],
      signal: AbortSignal.timeout(15_000),
      site: { registry: t.registry, repository: t.repository, action: 'cancel a blob upload' },
    });
    await response.body.dump();
  } catch (error) {
    t.transport.logger.info(
      `Could not cancel an upload session on ${t.registry}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Where to go on after a lost or refused chunk: the registry's own account of the upload, or, when
 * the session can no longer be asked about (Distribution signs the upload state into the location,
 * so a location whose reply was lost is stale), a fresh session from the first byte.
 */
async function resume(
  t: ManifestTarget,
  source: BlobSource,
  location: URL,
  options: PushBlobOptions,
): Promise<{ offset: number; location: URL }> {
  try {
    return await uploadStatus(t, location, options);
  } catch (error) {
    if (!(error instanceof OciError) || !['BLOB_UPLOAD_INVALID', 'BLOB_UPLOAD_UNKNOWN', 'NAME_UNKNOWN'].includes(error.code)) throw error;
    t.transport.logger.info(`Upload session of ${source.digest} on ${t.registry} cannot be resumed (${error.code}); starting it again`);
    const fresh = await startUpload(t, source.digest, { ...options, mountFrom: undefined });
    return { offset: 0, location: fresh.location };
  }
}

/** Asks where an upload stands: GET on its location answers 204 with `Range: 0-<last byte>`. */
async function uploadStatus(t: ManifestTarget, location: URL, options: PushBlobOptions): Promise<{ offset: number; location: URL }> {
  const response = await t.transport.request({
    registry: t.registry,
    method: 'GET',
    target: location.href,
    base: location,
    scopes: [repositoryScope(t.repository, 'pull', 'push')],
    signal: options.signal,
    site: { registry: t.registry, repository: t.repository, action: 'check the upload status' },
  });
  await response.body.dump();
  const last = parseRange(firstHeader(response.headers.range));
  const next = firstHeader(response.headers.location);
  return { offset: last === undefined ? 0 : last + 1, location: next ? new URL(next, response.url) : location };
}

/** The last byte of `Range: 0-N` or Docker's `bytes=0-N`. */
export function parseRange(value: string | undefined): number | undefined {
  const match = value ? /^(?:bytes=)?(\d+)-(\d+)$/.exec(value.trim()) : null;
  return match ? Number(match[2]) : undefined;
}
