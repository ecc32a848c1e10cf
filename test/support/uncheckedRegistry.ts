import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, type Listening } from './listenOnLoopback';

/** A blob the registry committed: the digest it was told, and the digest of the bytes it kept. */
export interface Commit {
  claimed: string;
  actual: string;
}

/**
 * A destination registry that trusts its clients: it commits an upload under whatever digest the
 * PUT names, without hashing it, as a careless or hostile registry would. It never commits a body
 * that ended before its Content-Length (that is HTTP, not a digest check). It records every
 * commit, every upload session still open, every session deleted, and every manifest and tag.
 */
export class UncheckedRegistry {
  host = '';
  readonly requests: { method: string; path: string }[] = [];
  readonly commits: Commit[] = [];
  /** Sessions with the bytes they hold: what a registry keeps until its purge. */
  readonly sessions = new Map<string, Buffer>();
  readonly deletedSessions: string[] = [];
  readonly blobs = new Map<string, Buffer>();
  readonly manifests = new Map<string, { bytes: Buffer; mediaType: string }>();
  readonly tags = new Map<string, string>();
  private listening?: Listening;
  private nextSession = 1;

  async start(): Promise<this> {
    this.listening = await listenOnLoopback(createServer((req, res) => void this.handle(req, res)));
    this.host = this.listening.host;
    return this;
  }

  async stop(): Promise<void> {
    await this.listening?.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${this.host}`);
    const method = req.method ?? '';
    this.requests.push({ method, path: url.pathname });
    if (url.pathname === '/v2/') return json(res, 200, {});
    let match = /^\/v2\/(.+)\/blobs\/uploads\/$/.exec(url.pathname);
    if (match && method === 'POST') {
      const id = String(this.nextSession++);
      this.sessions.set(id, Buffer.alloc(0));
      res.writeHead(202, { location: `/v2/${match[1]}/blobs/uploads/${id}`, 'content-length': '0' }).end();
      return;
    }
    match = /^\/v2\/(.+)\/blobs\/uploads\/(\d+)$/.exec(url.pathname);
    if (match) return this.upload(match[2], method, url, req, res);
    match = /^\/v2\/(.+)\/blobs\/(sha256:[a-f0-9]{64})$/.exec(url.pathname);
    if (match) {
      const blob = this.blobs.get(match[2]);
      if (!blob) return json(res, 404, { errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown' }] });
      res.writeHead(200, { 'content-length': blob.length, 'docker-content-digest': match[2] });
      return void res.end(method === 'HEAD' ? undefined : blob);
    }
    match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    if (match) return this.manifest(match[2], method, req, res);
    json(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'no such route' }] });
  }

  private async upload(id: string, method: string, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const held = this.sessions.get(id);
    if (!held) return json(res, 404, { errors: [{ code: 'BLOB_UPLOAD_UNKNOWN', message: 'upload unknown' }] });
    if (method === 'DELETE') {
      this.sessions.delete(id);
      this.deletedSessions.push(id);
      return void res.writeHead(204).end();
    }
    const body = await readBody(req);
    // A body cut off may end after the client has already deleted the session.
    if (!this.sessions.has(id)) return;
    this.sessions.set(id, Buffer.concat([held, body.bytes]));
    if (!body.complete) return;
    if (method === 'PATCH') {
      res.writeHead(202, { location: url.pathname, range: `0-${held.length + body.bytes.length - 1}`, 'content-length': '0' }).end();
      return;
    }
    const claimed = url.searchParams.get('digest') ?? '';
    const bytes = this.sessions.get(id)!;
    this.sessions.delete(id);
    this.blobs.set(claimed, bytes);
    this.commits.push({ claimed, actual: sha256(bytes) });
    res.writeHead(201, { location: `/v2/blobs/${claimed}`, 'docker-content-digest': claimed, 'content-length': '0' }).end();
  }

  private async manifest(reference: string, method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (method === 'PUT') {
      const { bytes } = await readBody(req);
      const digest = sha256(bytes);
      this.manifests.set(digest, { bytes, mediaType: req.headers['content-type'] ?? '' });
      if (!reference.startsWith('sha256:')) this.tags.set(reference, digest);
      res.writeHead(201, { 'docker-content-digest': digest, 'content-length': '0' }).end();
      return;
    }
    const stored = this.manifests.get(this.tags.get(reference) ?? reference);
    if (!stored) return json(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });
    res.writeHead(200, {
      'content-type': stored.mediaType,
      'content-length': stored.bytes.length,
      'docker-content-digest': sha256(stored.bytes),
    });
    res.end(method === 'HEAD' ? undefined : stored.bytes);
  }
}

/** The body as far as it came, and whether it came whole (its Content-Length, or the end of a chunked body). */
function readBody(req: IncomingMessage): Promise<{ bytes: Buffer; complete: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve({ bytes: Buffer.concat(chunks), complete: true }));
    req.on('close', () => {
      if (!req.complete) resolve({ bytes: Buffer.concat(chunks), complete: false });
    });
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length }).end(bytes);
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
