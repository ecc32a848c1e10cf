import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { errorMessage } from '../text/format';

/** An answer of the API server that is not a success: its HTTP status and the Status object's reason. */
export class KubeApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

export interface KubeRequest {
  method?: 'GET' | 'PATCH';
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

const MAX_BODY = 64 * 1024 * 1024;

/**
 * One request to the context's API server, authenticated as kubectl would (client-node applies the
 * client certificate, token, exec plugin or OIDC of the context's user, and its CA). Resolves to
 * the decoded JSON body; rejects with a KubeApiError carrying the Status message otherwise.
 */
export async function kubeRequest(config: KubeConfig, path: string, options: KubeRequest = {}): Promise<unknown> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new KubeApiError(`The context "${config.getCurrentContext()}" has no cluster`);
  const base = new URL(cluster.server);
  const opts: RequestOptions = { headers: {} };
  // An exec plugin may hang (a browser login no one completes): the deadline covers it too.
  await abortable(config.applyToHTTPSOptions(opts), options.signal);
  const body = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  const target = new URL(base.pathname.replace(/\/$/, '') + path, base);
  const send = target.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        ...opts,
        method: options.method ?? 'GET',
        headers: {
          ...opts.headers,
          accept: 'application/json',
          ...(body ? { 'content-type': options.contentType ?? 'application/json', 'content-length': body.length } : {}),
        },
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (res) => readBody(res).then((text) => settle(res, text, resolve, reject), reject),
    );
    req.on('error', (error) =>
      reject(
        options.signal?.aborted
          ? new KubeApiError('no answer in time')
          : new KubeApiError(`${base.host} cannot be reached: ${errorMessage(error)}`),
      ),
    );
    req.end(body);
  });
}

function settle(res: IncomingMessage, text: string, resolve: (v: unknown) => void, reject: (e: Error) => void): void {
  let decoded: unknown;
  try {
    decoded = text ? JSON.parse(text) : undefined;
  } catch {
    decoded = undefined;
  }
  const status = res.statusCode ?? 0;
  if (status >= 200 && status < 300) return resolve(decoded);
  const statusObject = decoded as { kind?: string; message?: string; reason?: string } | undefined;
  const message = statusObject?.kind === 'Status' && statusObject.message ? statusObject.message : `HTTP ${status}`;
  reject(new KubeApiError(message, status, statusObject?.reason));
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) res.destroy(new Error(`the answer is larger than ${MAX_BODY} bytes`));
      else chunks.push(c);
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(new KubeApiError('no answer in time'));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new KubeApiError('no answer in time (the credential plugin did not finish)'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? new KubeApiError(`the credentials of the context cannot be had: ${errorMessage(e)}`) : e);
      },
    );
  });
}
