import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { Authenticator } from '../auth/authenticator';
import { parseChallenges } from '../auth/challenge';
import type { CredentialProvider } from '../auth/credentials';
import { errorFromResponse, OciError, type ErrorSite } from '../errors';
import { silentLogger, type Logger } from '../logger';
import { isLoopbackHost } from '../reference/host';
import { Dispatchers, type RegistrySettings } from './dispatchers';
import { isTlsProtocolMismatch, networkError } from './networkErrors';
import { backoffDelay, cancelled, DEFAULT_RETRY, isTransientNetworkError, parseRetryAfter, RETRYABLE_STATUS, sleep, type RetryPolicy } from './retry';

export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

/** A body that can be sent again on retry: bytes, or a factory that opens a fresh stream. */
export type RequestBody = Buffer | string | (() => Readable);

export interface RegistryRequest {
  registry: string;
  method: HttpMethod;
  /** A path under the registry ("/v2/…"), or an absolute or relative URL the registry handed out. */
  target: string;
  query?: Record<string, string | string[] | undefined>;
  headers?: Record<string, string>;
  body?: RequestBody;
  /** Token scopes the request needs, e.g. `repository:app:pull`. */
  scopes: string[];
  /** Safe to send again after a failure; defaults to true for GET and HEAD. */
  idempotent?: boolean;
  signal?: AbortSignal;
  site: ErrorSite;
  /** Non-2xx statuses the caller handles itself instead of getting an OciError. */
  accept?: number[];
  /** Resolve relative targets against this URL (an upload Location is relative to its response). */
  base?: URL;
}

export interface RegistryResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Dispatcher.ResponseData['body'];
  url: URL;
}

export interface TransportOptions {
  credentials?: CredentialProvider;
  settingsFor?: (registry: string) => RegistrySettings;
  logger?: Logger;
  userAgent?: string;
  /** Longest wait for response headers, and longest silence while a body streams (default 60 s). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

const MAX_REDIRECTS = 5;

/**
 * Sends registry requests: picks the scheme, answers auth challenges (one retry on 401), retries
 * transient failures of idempotent requests with back-off and Retry-After, follows redirects
 * without carrying Authorization to another host, and turns failures into OciErrors.
 */
export class Transport {
  readonly logger: Logger;
  readonly userAgent: string;
  readonly idleMs: number;
  private readonly retry: RetryPolicy;
  private readonly settingsFor: (registry: string) => RegistrySettings;
  private readonly dispatchers: Dispatchers;
  private readonly auth: Authenticator;
  private readonly schemes = new Map<string, 'https' | 'http'>();

  constructor(options: TransportOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.userAgent = options.userAgent ?? 'oci-gitops';
    this.idleMs = options.timeoutMs ?? 60_000;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.settingsFor = options.settingsFor ?? (() => ({}));
    this.dispatchers = new Dispatchers(this.settingsFor, { connectMs: Math.min(this.idleMs, 15_000), idleMs: this.idleMs });
    this.auth = new Authenticator({
      credentials: options.credentials,
      dispatcherFor: (registry) => this.dispatchers.for(registry),
      isInsecure: (registry) => !!this.settingsFor(registry).insecure,
      logger: this.logger,
      userAgent: this.userAgent,
    });
  }

  /** Forget cached tokens and challenges, e.g. after the user signed in or out. */
  forgetCredentials(registry: string): void {
    this.auth.forget(registry);
  }

  async close(): Promise<void> {
    await this.dispatchers.close();
  }

  /**
   * Drops connection pools and learnt schemes so changed registry settings (a CA file, plain HTTP)
   * apply to the next request; pools read a registry's settings only when they are created.
   */
  async resetConnections(): Promise<void> {
    this.schemes.clear();
    await this.dispatchers.close();
  }

  /** The URL of `/v2/` paths on a registry, with the scheme in use. */
  origin(registry: string): string {
    return `${this.schemes.get(registry) ?? 'https'}://${registry}`;
  }

  async request(req: RegistryRequest): Promise<RegistryResponse> {
    const idempotent = req.idempotent ?? (req.method === 'GET' || req.method === 'HEAD');
    let scopes = [...req.scopes];
    let authRetried = false;
    let attempt = 1;
    for (;;) {
      if (req.signal?.aborted) throw cancelled();
      const url = this.urlFor(req);
      let response: RegistryResponse;
      try {
        response = await this.send(req, url, scopes);
      } catch (error) {
        if (req.signal?.aborted) throw cancelled();
        if (isTlsProtocolMismatch(error) && this.mayFallBackToHttp(req.registry, url)) {
          this.logger.info(`${req.registry} does not speak TLS; using plain HTTP (loopback or marked insecure)`);
          this.schemes.set(req.registry, 'http');
          continue;
        }
        if (idempotent && attempt < this.retry.maxAttempts && isTransientNetworkError(error)) {
          const delay = backoffDelay(this.retry, attempt);
          this.logger.warn(`${req.method} ${describe(url)} failed (${(error as Error).message}); retry ${attempt} in ${delay} ms`);
          await sleep(delay, req.signal);
          attempt++;
          continue;
        }
        throw networkError(error, req.registry, this.idleMs);
      }

      if (response.status === 401 && !authRetried) {
        const challenges = parseChallenges(response.headers['www-authenticate']);
        await response.body.dump();
        const answer = await this.auth.onUnauthorized(req.registry, challenges, scopes, req.signal);
        if (answer.retry) {
          authRetried = true;
          scopes = answer.scopes;
          continue;
        }
        throw errorFromResponse(401, '', req.site);
      }

      if (RETRYABLE_STATUS.has(response.status) && idempotent && attempt < this.retry.maxAttempts && !req.accept?.includes(response.status)) {
        const retryAfter = parseRetryAfter(response.headers['retry-after']);
        if (retryAfter === undefined || retryAfter <= this.retry.maxRetryAfterMs) {
          const delay = retryAfter ?? backoffDelay(this.retry, attempt);
          await response.body.dump();
          this.logger.warn(`${req.method} ${describe(url)} → ${response.status}; retry ${attempt} in ${delay} ms`);
          await sleep(delay, req.signal);
          attempt++;
          continue;
        }
      }

      if (response.status >= 300 && !req.accept?.includes(response.status)) {
        const text = req.method === 'HEAD' ? '' : await readText(response);
        throw errorFromResponse(response.status, text, req.site);
      }
      return response;
    }
  }

  private urlFor(req: RegistryRequest): URL {
    const base = req.base ?? new URL(this.origin(req.registry));
    const url = new URL(req.target, base);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, v);
    }
    return url;
  }

  private mayFallBackToHttp(registry: string, url: URL): boolean {
    return url.protocol === 'https:' && url.host === registry && this.schemes.get(registry) !== 'http' && (isLoopbackHost(registry) || !!this.settingsFor(registry).insecure);
  }

  /** One exchange, following redirects for GET and HEAD. */
  private async send(req: RegistryRequest, first: URL, scopes: string[]): Promise<RegistryResponse> {
    if (first.protocol === 'http:' && !isLoopbackHost(first.host) && !this.settingsFor(req.registry).insecure) {
      throw new OciError('INSECURE_REFUSED', `Refusing plain HTTP to ${first.host}`, {
        registry: req.registry,
        hint: 'Mark the registry insecure in its settings if it really serves plain HTTP',
      });
    }
    let url = first;
    const dispatcher = this.dispatchers.for(req.registry);
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { 'user-agent': this.userAgent, ...req.headers };
      // Credentials are only ever sent to the registry itself, never to a host it redirects to.
      if (url.host === req.registry) {
        const authorization = await this.auth.authorization(req.registry, scopes, req.signal);
        if (authorization) headers.authorization = authorization;
      }
      const started = Date.now();
      const body = typeof req.body === 'function' ? req.body() : req.body;
      const res = await request(url, { method: req.method, headers, body, dispatcher, signal: req.signal });
      this.logger.debug(`${req.method} ${describe(url)} → ${res.statusCode} (${Date.now() - started} ms)`);
      const location = res.headers.location;
      const redirect = [301, 302, 303, 307, 308].includes(res.statusCode) && typeof location === 'string' && (req.method === 'GET' || req.method === 'HEAD');
      if (!redirect) return { status: res.statusCode, headers: res.headers, body: res.body, url };
      await res.body.dump();
      if (hop >= MAX_REDIRECTS) throw new OciError('PROTOCOL', `Too many redirects from ${req.registry}`, { registry: req.registry });
      const next = new URL(location, url);
      if (url.protocol === 'https:' && next.protocol !== 'https:') {
        throw new OciError('PROTOCOL', `${req.registry} redirected from HTTPS to ${next.protocol}//${next.host}; refusing the downgrade`, { registry: req.registry });
      }
      url = next;
    }
  }
}

/**
 * Ends a response body nobody will read, freeing its connection. undici reports the abort as an
 * 'error' event; it is expected here, so it must not become an uncaught exception.
 */
export function discardBody(response: Pick<RegistryResponse, 'body'>): void {
  response.body.on('error', () => undefined);
  response.body.destroy();
}

/** Reads a whole body that must not exceed `maxBytes`: TOO_LARGE, not a silently cut body. */
export async function readLimited(response: RegistryResponse, maxBytes: number, what: string): Promise<Buffer> {
  const declared = Number(headerValue(response.headers['content-length']));
  if (Number.isFinite(declared) && declared > maxBytes) {
    discardBody(response);
    throw new OciError('TOO_LARGE', `The ${what} is ${declared} bytes, over the ${maxBytes}-byte limit`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      discardBody(response);
      throw new OciError('TOO_LARGE', `The ${what} is over the ${maxBytes}-byte limit`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads a small error body; registries' error JSON is tiny, so anything large is cut. */
export async function readText(response: RegistryResponse, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      discardBody(response);
      break;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Logged URLs drop the query: upload locations carry session state there. */
function describe(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}
