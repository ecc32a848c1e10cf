import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { listenOnLoopback, type Listening } from './listenOnLoopback';

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

/**
 * A misbehaving "registry" on loopback: each test gives it the handler that misbehaves (drips,
 * stays silent, pages forever, names a token realm elsewhere, serves hostile strings). Every
 * request is recorded with its headers. `stop()` cuts open connections, so a test never waits.
 */
export class HostileServer {
  host = '';
  readonly requests: { method: string; url: string; headers: IncomingMessage['headers'] }[] = [];
  private listening?: Listening;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private handler: Handler,
    private readonly address = '127.0.0.1',
  ) {}

  /** Replaces the behaviour for the next requests. */
  handle(handler: Handler): void {
    this.handler = handler;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      this.handler(req, res, new URL(req.url ?? '/', `http://${this.host}`));
    });
    this.listening = await listenOnLoopback(server, this.address);
    this.host = this.listening.host;
    return this;
  }

  /** A timer that stop() clears, for handlers that drip. */
  every(ms: number, tick: () => void): NodeJS.Timeout {
    const timer = setInterval(tick, ms);
    this.timers.add(timer);
    return timer;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.listening?.close();
  }
}

/** Answers with a JSON body and the headers a registry sends. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(bytes.length),
    'docker-distribution-api-version': 'registry/2.0',
    ...headers,
  });
  res.end(bytes);
}

/** Serves manifest bytes as a registry does, with their digest. */
export function manifest(res: ServerResponse, bytes: Buffer, mediaType = 'application/vnd.oci.image.manifest.v1+json'): void {
  res.writeHead(200, {
    'content-type': mediaType,
    'content-length': String(bytes.length),
    'docker-content-digest': `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
  });
  res.end(bytes);
}
