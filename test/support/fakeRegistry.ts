import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, type Listening } from './listenOnLoopback';

/** A request the fake saw, for assertions. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string; times: number }
  | { kind: 'reset'; times: number }
  | { kind: 'hang'; times: number };

/**
 * A small registry double for behaviours CNCF Distribution 2.8 does not have: tag paging that
 * honours `n` (GHCR, Docker Hub, Harbor), the referrers API, faults, wrong bytes, and redirects of
 * blobs to another host. It is a test double, not a registry.
 */
export class FakeRegistry {
  readonly requests: SeenRequest[] = [];
  readonly storageRequests: SeenRequest[] = [];
  host = '';
  private listening?: Listening;
  private storage?: Listening;
  private storageOrigin = '';
  private readonly manifests = new Map<string, { bytes: Buffer; mediaType: string }>();
  private readonly blobs = new Map<string, Buffer>();
  private readonly tags = new Map<string, Map<string, string>>();
  private readonly faults = new Map<string, Fault>();
  private readonly referrers = new Map<string, object[]>();
  /** Server-side maximum page size for tag lists. */
  maxPageSize = 1000;
  /** `filter`: honour artifactType and say so; `ignore`: return everything without the header. */
  referrersMode: 'filter' | 'ignore' | 'absent' = 'filter';
  referrersPageSize = 1000;
  redirectBlobs = false;
  /** Serve these bytes instead of the stored ones for a digest (integrity tests). */
  readonly tampered = new Map<string, Buffer>();
  requireBasic?: { username: string; password: string };

  async start(): Promise<this> {
    this.listening = await listenOnLoopback(createServer((req, res) => this.handle(req, res)));
    this.host = this.listening.host;
    // Another loopback address is another host: credentials must not follow a redirect there.
    const storage = createServer((req, res) => {
      this.storageRequests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      const digest = new URL(req.url ?? '/', 'http://x').searchParams.get('digest') ?? '';
      const blob = this.blobs.get(digest);
      if (!blob) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-length': blob.length, 'content-type': 'application/octet-stream' }).end(blob);
    });
    this.storage = await listenOnLoopback(storage, '127.0.0.2');
    this.storageOrigin = `http://${this.storage.host}`;
    return this;
  }

  async stop(): Promise<void> {
    await Promise.all([this.listening?.close(), this.storage?.close()]);
  }

  addBlob(bytes: Buffer): string {
    const digest = sha256(bytes);
    this.blobs.set(digest, bytes);
    return digest;
  }

  addManifest(repository: string, bytes: Buffer, mediaType: string, tags: string[] = []): string {
    const digest = sha256(bytes);
    this.manifests.set(`${repository}@${digest}`, { bytes, mediaType });
    const repoTags = this.tags.get(repository) ?? new Map<string, string>();
    for (const tag of tags) repoTags.set(tag, digest);
    this.tags.set(repository, repoTags);
    return digest;
  }

  addReferrer(subject: string, descriptor: object): void {
    this.referrers.set(subject, [...(this.referrers.get(subject) ?? []), descriptor]);
  }

  /** Fails requests whose path starts with `pathPrefix` (`METHOD /v2/...`) the given number of times. */
  fail(methodAndPath: string, fault: Fault): void {
    this.faults.set(methodAndPath, fault);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const url = new URL(req.url ?? '/', `http://${this.host}`);
    for (const [key, fault] of this.faults) {
      if (`${req.method} ${url.pathname}`.startsWith(key) && fault.times > 0) {
        fault.times--;
        if (fault.kind === 'reset') return void req.socket.destroy();
        if (fault.kind === 'hang') return;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (fault.retryAfter) headers['retry-after'] = fault.retryAfter;
        return void res
          .writeHead(fault.status, headers)
          .end(JSON.stringify({ errors: [{ code: fault.status === 429 ? 'TOOMANYREQUESTS' : 'UNAVAILABLE', message: 'injected fault' }] }));
      }
    }
    if (this.requireBasic) {
      const expected = `Basic ${Buffer.from(`${this.requireBasic.username}:${this.requireBasic.password}`).toString('base64')}`;
      if (req.headers.authorization !== expected) {
        return void res
          .writeHead(401, { 'www-authenticate': 'Basic realm="fake"', 'content-type': 'application/json' })
          .end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      }
    }
    if (url.pathname === '/v2/') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    let match = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
    if (match) return this.tagList(match[1], url, res);
    match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    if (match) return this.manifest(match[1], match[2], req, res);
    match = /^\/v2\/(.+)\/blobs\/(sha256:[a-f0-9]{64})$/.exec(url.pathname);
    if (match) return this.blob(match[2], req, res);
    match = /^\/v2\/(.+)\/referrers\/(sha256:[a-f0-9]{64})$/.exec(url.pathname);
    if (match && this.referrersMode !== 'absent') return this.referrerList(match[1], match[2], url, res);
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end(JSON.stringify({ errors: [{ code: 'NOT_FOUND', message: 'no such route' }] }));
  }

  private tagList(repository: string, url: URL, res: ServerResponse): void {
    const all = [...(this.tags.get(repository)?.keys() ?? [])].sort();
    const n = Math.min(Number(url.searchParams.get('n') ?? 100), this.maxPageSize);
    const last = url.searchParams.get('last');
    const start = last ? all.findIndex((t) => t > last) : 0;
    const page = start < 0 ? [] : all.slice(start, start + n);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (start >= 0 && start + n < all.length)
      headers.link = `</v2/${repository}/tags/list?last=${encodeURIComponent(page[page.length - 1])}&n=${n}>; rel="next"`;
    res.writeHead(200, headers).end(JSON.stringify({ name: repository, tags: page }));
  }

  private manifest(repository: string, reference: string, req: IncomingMessage, res: ServerResponse): void {
    const digest = reference.startsWith('sha256:') ? reference : this.tags.get(repository)?.get(reference);
    const stored = digest ? this.manifests.get(`${repository}@${digest}`) : undefined;
    if (!digest || !stored) {
      return void res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
    }
    const bytes = this.tampered.get(digest) ?? stored.bytes;
    res.writeHead(200, { 'content-type': stored.mediaType, 'docker-content-digest': digest, 'content-length': bytes.length });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  }

  private blob(digest: string, req: IncomingMessage, res: ServerResponse): void {
    const stored = this.blobs.get(digest);
    if (!stored)
      return void res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown' }] }));
    if (this.redirectBlobs && req.method === 'GET')
      return void res.writeHead(307, { location: `${this.storageOrigin}/blob?digest=${digest}` }).end();
    const bytes = this.tampered.get(digest) ?? stored;
    res.writeHead(200, { 'content-length': bytes.length, 'docker-content-digest': digest });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  }

  private referrerList(repository: string, subject: string, url: URL, res: ServerResponse): void {
    const filter = url.searchParams.get('artifactType');
    let all = this.referrers.get(subject) ?? [];
    const headers: Record<string, string> = { 'content-type': 'application/vnd.oci.image.index.v1+json' };
    if (filter && this.referrersMode === 'filter') {
      all = all.filter((d) => (d as { artifactType?: string }).artifactType === filter);
      headers['oci-filters-applied'] = 'artifactType';
    }
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const page = all.slice(offset, offset + this.referrersPageSize);
    if (offset + this.referrersPageSize < all.length)
      headers.link = `</v2/${repository}/referrers/${subject}?offset=${offset + this.referrersPageSize}>; rel="next"`;
    res
      .writeHead(200, headers)
      .end(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: page }));
  }
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
