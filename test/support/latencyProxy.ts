import { readFileSync } from 'node:fs';
import {
  Agent as HttpAgent,
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { Agent as HttpsAgent, createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import { listenOnLoopback, type Listening } from './listenOnLoopback';

/** One request as the proxy saw it; times are `performance.now()` milliseconds. */
export interface ProxiedRequest {
  method: string;
  /** The path and query the client asked for (`/v2/…`, or `/token/…` for a token realm proxied here). */
  path: string;
  /** `registry` for the registry behind the proxy, `token` for the token realm it rewrote to itself. */
  upstream: 'registry' | 'token';
  status: number;
  /** When the request arrived at the proxy. */
  start: number;
  /** When the proxy had sent the last byte of its answer. */
  end: number;
}

export interface LatencyProxyOptions {
  /** Added to every request before it is passed on: one round trip's latency. */
  delayMs: number;
  /** The registry serves HTTPS signed by this CA (test/support/registry.ts's `caFile`). */
  upstreamCaFile?: string;
  /** Serve HTTPS to the client with this certificate and key, else plain HTTP. */
  serve?: { certFile: string; keyFile: string };
  /**
   * A token realm to pass through the proxy too (registry.tokenServer.url): the proxy rewrites the
   * realm of the registry's WWW-Authenticate challenges to `<proxy>/token/…`, so token requests pay
   * the delay and are recorded like the others.
   */
  tokenRealm?: string;
}

/**
 * The number of dependent rounds in a set of requests: the length of the longest chain of
 * requests in which each one started only after the one before it had ended. A request that
 * started before another ended cannot have waited for its answer, so the two may share a round;
 * a request that started after another ended may have depended on it. With a fixed delay per
 * request, the time a client needs is at least this number times the delay, however many
 * requests each round holds: the number a latency test asserts.
 *
 * `roundsOf` returns the requests grouped by their place in that longest chain: round 1 holds the
 * requests that started before any other request ended, round n those whose longest chain of
 * predecessors has n − 1 requests.
 */
export function roundsOf<T extends { start: number; end: number }>(requests: readonly T[]): T[][] {
  const sorted = [...requests].sort((a, b) => a.start - b.start);
  const depth = new Map<T, number>();
  for (const request of sorted) {
    let deepest = 0;
    for (const earlier of sorted) {
      if (earlier.start >= request.start) break;
      if (earlier.end <= request.start) deepest = Math.max(deepest, depth.get(earlier) ?? 0);
    }
    depth.set(request, deepest + 1);
  }
  const rounds: T[][] = [];
  for (const request of sorted) (rounds[depth.get(request)! - 1] ??= []).push(request);
  return rounds;
}

export function dependentRounds(requests: readonly { start: number; end: number }[]): number {
  return roundsOf(requests).length;
}

/** The most requests that were in flight at the same moment. */
export function maxInFlight(requests: readonly { start: number; end: number }[]): number {
  const edges = requests.flatMap((r) => [
    { at: r.start, step: 1 },
    { at: r.end, step: -1 },
  ]);
  // An end and a start at the same instant: the ended request no longer counts.
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  let now = 0;
  let most = 0;
  for (const edge of edges) most = Math.max(most, (now += edge.step));
  return most;
}

/**
 * A loopback reverse proxy in front of a real registry that holds every request for a fixed delay
 * before passing it on, as a registry 50 ms away would, and records each one. Clients use it by
 * taking `host` as the registry's `host:port`. It also answers absolute-form requests
 * (`GET http://host/… HTTP/1.1`, what an HTTP forward proxy receives) for the same registry.
 */
export class LatencyProxy {
  /** `127.0.0.1:PORT` */
  host = '';
  readonly requests: ProxiedRequest[] = [];
  private listening?: Listening;
  private readonly registryAgent: HttpAgent;
  private readonly tokenAgent = new HttpAgent({ keepAlive: true });

  constructor(
    private readonly target: string,
    private readonly options: LatencyProxyOptions,
  ) {
    this.registryAgent = options.upstreamCaFile
      ? new HttpsAgent({ keepAlive: true, ca: readFileSync(options.upstreamCaFile) })
      : new HttpAgent({ keepAlive: true });
  }

  get url(): string {
    return `${this.options.serve ? 'https' : 'http'}://${this.host}`;
  }

  /** Forgets the requests so far (between the set-up of a test and what it measures). */
  reset(): void {
    this.requests.length = 0;
  }

  /** The requests so far that match, e.g. `(r) => r.method === 'GET'`. */
  count(filter: (request: ProxiedRequest) => boolean = () => true): number {
    return this.requests.filter(filter).length;
  }

  rounds(): ProxiedRequest[][] {
    return roundsOf(this.requests);
  }

  dependentRounds(): number {
    return dependentRounds(this.requests);
  }

  async start(): Promise<this> {
    const handler = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res);
    const { serve } = this.options;
    this.listening = await listenOnLoopback(
      serve
        ? createHttpsServer({ cert: readFileSync(serve.certFile), key: readFileSync(serve.keyFile) }, handler)
        : createHttpServer(handler),
    );
    this.host = this.listening.host;
    return this;
  }

  async stop(): Promise<void> {
    await this.listening?.close();
    this.registryAgent.destroy();
    this.tokenAgent.destroy();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const start = performance.now();
    // Absolute-form targets (forward proxy) carry the host in the URL; only the path matters here.
    const path = /^https?:\/\//.test(req.url ?? '') ? new URL(req.url!).pathname + new URL(req.url!).search : (req.url ?? '/');
    const toToken = this.options.tokenRealm !== undefined && path.startsWith('/token/');
    const record: ProxiedRequest = {
      method: req.method ?? '',
      path,
      upstream: toToken ? 'token' : 'registry',
      status: 0,
      start,
      end: start,
    };
    this.requests.push(record);
    res.on('close', () => (record.end = performance.now()));
    // Hold the body too: Node buffers it on the socket until the upstream request reads it.
    req.pause();
    setTimeout(() => this.pass(req, res, record, path, toToken), this.options.delayMs);
  }

  private pass(req: IncomingMessage, res: ServerResponse, record: ProxiedRequest, path: string, toToken: boolean): void {
    const upstreamUrl = toToken
      ? new URL(this.options.tokenRealm!)
      : new URL(`${this.options.upstreamCaFile ? 'https' : 'http'}://${this.target}`);
    const upstreamPath = toToken ? path.slice('/token'.length) : path;
    const send = upstreamUrl.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstream = send(
      {
        host: upstreamUrl.hostname,
        port: Number(upstreamUrl.port),
        method: req.method,
        path: upstreamPath,
        headers: { ...req.headers, host: upstreamUrl.host },
        agent: toToken ? this.tokenAgent : this.registryAgent,
      },
      (answer) => {
        record.status = answer.statusCode ?? 502;
        const headers = { ...answer.headers };
        // Keep the client talking through the proxy after a redirect or an upload's Location.
        if (typeof headers.location === 'string') headers.location = headers.location.replace(`//${this.target}`, `//${this.host}`);
        const challenge = headers['www-authenticate'];
        if (this.options.tokenRealm && typeof challenge === 'string') {
          const realm = new URL(this.options.tokenRealm);
          headers['www-authenticate'] = challenge.replace(`realm="${realm.origin}`, `realm="${this.url}/token`);
        }
        res.writeHead(record.status, headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
    req.resume();
  }
}
