import { firstHeader } from './headers';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { Authenticator } from '../auth/authenticator';
import { parseChallenges } from '../auth/challenge';
import type { CredentialProvider } from '../auth/credentials';
import { errorFromResponse, OciError, siteName, type ErrorSite } from '../errors';
import { silentLogger, type Logger } from '../logger';
import { isLoopbackHost } from '../reference/host';
import { Dispatchers, type RegistrySettings } from './dispatchers';
import { isTlsProtocolMismatch, networkError } from './networkErrors';
import { answeredByTlsPort, closedWithoutAnswer } from './plainHttpFirst';
import {
  backoffDelay,
  cancelled,
  DEFAULT_RETRY,
  isTransientNetworkError,
  parseRetryAfter,
  RETRYABLE_STATUS,
  sleep,
  type RetryPolicy,
} from './retry';
import { errorMessage } from '../../text/format';

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
  /**
   * Longest time for the whole exchange: every attempt, back-off, the headers and the body (the
   * deadline runs until the body has been read). Default: the transport's request deadline.
   */
  deadlineMs?: number;
}

export interface RegistryResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Dispatcher.ResponseData['body'];
  url: URL;
}

/** The Authorization header a request carried, so a 401 can tell a stale login from a renewed one. */
interface SentAuthorization {
  authorization?: string;
}

export interface TransportOptions {
  credentials?: CredentialProvider;
  settingsFor?: (registry: string) => RegistrySettings;
  logger?: Logger;
  userAgent?: string;
  /** Longest wait for response headers, and longest silence while a body streams (default 60 s). */
  timeoutMs?: number;
  /** Longest time for one request in all, retries and body included (default 3 × timeoutMs). */
  deadlineMs?: number;
  /** Longest time for a listing that follows pages (default 10 × timeoutMs). */
  listingDeadlineMs?: number;
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
  /** A request's total time limit (see RegistryRequest.deadlineMs). */
  readonly deadlineMs: number;
  /** A listing's total time limit, over all its pages. */
  readonly listingDeadlineMs: number;
  private readonly retry: RetryPolicy;
  private readonly settingsFor: (registry: string) => RegistrySettings;
  private readonly dispatchers: Dispatchers;
  private readonly auth: Authenticator;
  private readonly schemes = new Map<string, 'https' | 'http'>();
  /** Registries whose first request has been answered, and the first requests under way. */
  private readonly probed = new Set<string>();
  private readonly probes = new Map<string, { answered: Promise<void>; release: () => void }>();

  constructor(options: TransportOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.userAgent = options.userAgent ?? 'oci-gitops';
    this.idleMs = options.timeoutMs ?? 60_000;
    this.deadlineMs = options.deadlineMs ?? 3 * this.idleMs;
    this.listingDeadlineMs = options.listingDeadlineMs ?? 10 * this.idleMs;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.settingsFor = options.settingsFor ?? (() => ({}));
    this.dispatchers = new Dispatchers(this.settingsFor, { connectMs: Math.min(this.idleMs, 15_000), idleMs: this.idleMs });
    this.auth = new Authenticator({
      credentials: options.credentials,
      dispatcherFor: (registry) => this.dispatchers.for(registry),
      isInsecure: (registry) => !!this.settingsFor(registry).insecure,
      allowedRealms: (registry) => this.settingsFor(registry).tokenRealms ?? [],
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
    this.probed.clear();
    await this.dispatchers.close();
  }

  /** The URL of `/v2/` paths on a registry, with the scheme in use. */
  origin(registry: string): string {
    return `${this.schemes.get(registry) ?? this.firstScheme(registry)}://${registry}`;
  }

  /** Before a registry has answered: plain HTTP on loopback (unless it has a CA file: then it speaks TLS), else TLS. */
  private firstScheme(registry: string): 'https' | 'http' {
    return isLoopbackHost(registry) && !this.settingsFor(registry).caFile ? 'http' : 'https';
  }

  /** A plain-HTTP request to a loopback registry whose scheme is not known yet: the answer may say it wants TLS. */
  private guessingPlain(registry: string, url: URL): boolean {
    return url.protocol === 'http:' && url.host === registry && !this.schemes.has(registry) && this.firstScheme(registry) === 'http';
  }

  private learnTls(registry: string): void {
    this.logger.info(`${registry} wants TLS; using HTTPS`);
    this.schemes.set(registry, 'https');
  }

  /** Sends a request (see requestNow), after the first request to its registry has been answered. */
  async request(req: RegistryRequest): Promise<RegistryResponse> {
    if (this.probed.has(req.registry)) return this.requestNow(req);
    // The first request to a registry goes alone: its first answer tells the scheme (loopback may
    // be plain HTTP) and the challenge (Basic, or a token realm). Requests sent meanwhile wait for
    // that answer and then go out with the right scheme, sharing the first one's token request,
    // instead of each paying a 401 round trip of its own.
    const probe = this.probes.get(req.registry);
    if (probe) {
      await probe.answered;
      return this.requestNow(req);
    }
    let release = () => {};
    const answered = new Promise<void>((resolve) => (release = resolve));
    this.probes.set(req.registry, { answered, release });
    try {
      return await this.requestNow(req);
    } finally {
      this.firstAnswer(req.registry);
    }
  }

  /** The first request to a registry has had an answer (or failed): let the others go. */
  private firstAnswer(registry: string): void {
    const probe = this.probes.get(registry);
    if (!probe) return;
    this.probed.add(registry);
    this.probes.delete(registry);
    probe.release();
  }

  /**
   * Sends a request under a deadline that covers all of it: an idle timer alone restarts with
   * every byte, so a server that drips one byte at a time, or that is silent through every retry,
   * would otherwise hold the caller far longer than any message says. The deadline keeps running
   * while the caller reads the body, and failures say how many attempts were made over how long.
   */
  private async requestNow(req: RegistryRequest): Promise<RegistryResponse> {
    const started = Date.now();
    // What we send takes time too: an upload gets the same 64 KB/s allowance as a blob download.
    const deadlineMs = (req.deadlineMs ?? this.deadlineMs) + Math.ceil(sentBytes(req) / 64);
    const progress = { attempts: 1 };
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(this.deadlineError(req, progress.attempts, Date.now() - started, deadlineMs)),
      deadlineMs,
    );
    timer.unref?.();
    const signal = req.signal ? AbortSignal.any([req.signal, deadline.signal]) : deadline.signal;
    try {
      const response = await this.attempt({ ...req, signal }, progress, started);
      if (response.body.destroyed || response.body.readableEnded) clearTimeout(timer);
      else response.body.once('close', () => clearTimeout(timer));
      return response;
    } catch (error) {
      clearTimeout(timer);
      if (deadline.signal.aborted && !req.signal?.aborted) throw deadline.signal.reason;
      throw error;
    }
  }

  private deadlineError(req: RegistryRequest, attempts: number, elapsedMs: number, deadlineMs: number): OciError {
    const where = siteName(req.site);
    const limit =
      deadlineMs === this.deadlineMs
        ? `the limit is ${seconds(deadlineMs)} for a request, three times the ${seconds(this.idleMs)} timeout`
        : `the limit for this request is ${seconds(deadlineMs)}: three times the ${seconds(this.idleMs)} timeout, plus time for its size at 64 KB/s`;
    return new OciError(
      'TIMEOUT',
      `Could not ${req.site.action} on ${where}: no complete answer within ${seconds(elapsedMs)} (${attempts} attempt${attempts === 1 ? '' : 's'}; ${limit})`,
      {
        registry: req.registry,
        repository: req.site.repository,
        hint: 'The registry is not answering, or is answering too slowly; check the network, or raise the timeout (--timeout, or ociGitops.requestTimeoutSeconds)',
      },
    );
  }

  private async attempt(req: RegistryRequest, progress: { attempts: number }, started: number): Promise<RegistryResponse> {
    const idempotent = req.idempotent ?? (req.method === 'GET' || req.method === 'HEAD');
    let scopes = [...req.scopes];
    let authRetried = false;
    for (;;) {
      if (req.signal?.aborted) throw abortReason(req.signal);
      const url = this.urlFor(req);
      let response: RegistryResponse;
      const sent: SentAuthorization = {};
      try {
        response = await this.send(req, url, scopes, sent);
      } catch (error) {
        if (req.signal?.aborted) throw abortReason(req.signal);
        if (closedWithoutAnswer(error) && this.guessingPlain(req.registry, url)) {
          this.learnTls(req.registry);
          continue;
        }
        if (isTlsProtocolMismatch(error) && this.mayFallBackToHttp(req.registry, url)) {
          // A registry marked insecure is asked over TLS first; the first request to fail learns the scheme.
          if (this.schemes.get(req.registry) !== 'http')
            this.logger.info(`${req.registry} does not speak TLS; using plain HTTP (loopback or marked insecure)`);
          this.schemes.set(req.registry, 'http');
          continue;
        }
        if (idempotent && progress.attempts < this.retry.maxAttempts && isTransientNetworkError(error)) {
          const delay = backoffDelay(this.retry, progress.attempts);
          this.logger.warn(`${req.method} ${describe(url)} failed (${errorMessage(error)}); retry ${progress.attempts} in ${delay} ms`);
          await sleep(delay, req.signal).catch(() => {
            throw abortReason(req.signal!);
          });
          progress.attempts++;
          continue;
        }
        throw networkError(error, req.registry, this.idleMs, { attempts: progress.attempts, elapsedMs: Date.now() - started });
      }
      if (this.guessingPlain(req.registry, url)) {
        const answer = await answeredByTlsPort(response, req.method);
        if (answer.tls) {
          this.learnTls(req.registry);
          continue;
        }
        this.schemes.set(req.registry, 'http');
        response = answer.response;
      }

      if (response.status === 401 && !authRetried) {
        const challenges = parseChallenges(response.headers['www-authenticate']);
        await response.body.dump();
        const answer = await this.auth.onUnauthorized(req.registry, challenges, scopes, req.signal, sent.authorization);
        this.firstAnswer(req.registry);
        if (answer.retry) {
          authRetried = true;
          scopes = answer.scopes;
          continue;
        }
        throw errorFromResponse(401, '', req.site, '', req.method);
      }
      this.firstAnswer(req.registry);

      if (
        RETRYABLE_STATUS.has(response.status) &&
        idempotent &&
        progress.attempts < this.retry.maxAttempts &&
        !req.accept?.includes(response.status)
      ) {
        const retryAfter = parseRetryAfter(response.headers['retry-after']);
        if (retryAfter === undefined || retryAfter <= this.retry.maxRetryAfterMs) {
          const delay = retryAfter ?? backoffDelay(this.retry, progress.attempts);
          await response.body.dump();
          this.logger.warn(`${req.method} ${describe(url)} → ${response.status}; retry ${progress.attempts} in ${delay} ms`);
          await sleep(delay, req.signal).catch(() => {
            throw abortReason(req.signal!);
          });
          progress.attempts++;
          continue;
        }
      }

      if (response.status >= 300 && !req.accept?.includes(response.status)) {
        const text = req.method === 'HEAD' ? '' : await readText(response);
        const tried = progress.attempts > 1 ? `, after ${progress.attempts} attempts over ${seconds(Date.now() - started)}` : '';
        throw errorFromResponse(response.status, text, req.site, tried, req.method);
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
    return url.protocol === 'https:' && url.host === registry && (isLoopbackHost(registry) || !!this.settingsFor(registry).insecure);
  }

  /** One exchange, following redirects for GET and HEAD. */
  private async send(req: RegistryRequest, first: URL, scopes: string[], sent: SentAuthorization): Promise<RegistryResponse> {
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
      sent.authorization = undefined;
      // Credentials are only ever sent to the registry itself, never to a host it redirects to, and
      // never in a plain-HTTP guess that a TLS registry would refuse.
      if (url.host === req.registry && !this.guessingPlain(req.registry, url)) {
        const authorization = await this.auth.authorization(req.registry, scopes, req.signal);
        if (authorization) headers.authorization = authorization;
        sent.authorization = authorization;
      }
      const started = Date.now();
      const body = typeof req.body === 'function' ? req.body() : req.body;
      const res = await request(url, { method: req.method, headers, body, dispatcher, signal: req.signal });
      this.logger.debug(`${req.method} ${describe(url)} → ${res.statusCode} (${Date.now() - started} ms)`);
      const location = res.headers.location;
      const redirect =
        [301, 302, 303, 307, 308].includes(res.statusCode) &&
        typeof location === 'string' &&
        (req.method === 'GET' || req.method === 'HEAD');
      if (!redirect) return { status: res.statusCode, headers: res.headers, body: res.body, url };
      await res.body.dump();
      if (hop >= MAX_REDIRECTS) throw new OciError('PROTOCOL', `Too many redirects from ${req.registry}`, { registry: req.registry });
      const next = new URL(location, url);
      if (url.protocol === 'https:' && next.protocol !== 'https:') {
        throw new OciError('PROTOCOL', `${req.registry} redirected from HTTPS to ${next.protocol}//${next.host}; refusing the downgrade`, {
          registry: req.registry,
        });
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
  const declared = Number(firstHeader(response.headers['content-length']));
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

function sentBytes(req: RegistryRequest): number {
  if (typeof req.body === 'string') return Buffer.byteLength(req.body);
  if (Buffer.isBuffer(req.body)) return req.body.length;
  const declared = Number(req.headers?.['content-length'] ?? 0);
  return Number.isFinite(declared) && declared > 0 ? declared : 0;
}

/** What an aborted signal stands for: the deadline's TIMEOUT error, or a cancellation. */
function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof OciError ? signal.reason : cancelled();
}

function seconds(ms: number): string {
  if (ms < 10_000) return `${Number((ms / 1000).toFixed(1))} s`;
  const s = Math.round(ms / 1000);
  return s >= 120 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

/** Logged URLs drop the query: upload locations carry session state there. */
function describe(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}
