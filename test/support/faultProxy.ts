import { createServer, request, type IncomingMessage } from 'node:http';
import { listenOnLoopback, type Listening } from './listenOnLoopback';

/** What to do with one request on its way to the registry. */
export type ProxyAction = 'pass' | 'lose-response' | { status: number; retryAfter?: string };

/**
 * An HTTP proxy in front of a real registry that can lose a response after the registry acted
 * on the request: the client then does not know what the registry holds, which is what a dropped
 * connection mid-upload looks like.
 */
export class FaultProxy {
  host = '';
  private listening?: Listening;
  readonly seen: { method: string; url: string; action: ProxyAction }[] = [];

  constructor(
    private readonly target: string,
    private readonly decide: (req: IncomingMessage, index: number) => ProxyAction,
  ) {}

  async start(): Promise<this> {
    const [targetHost, targetPort] = this.target.split(':');
    const server = createServer((req, res) => {
      const action = this.decide(req, this.seen.length);
      this.seen.push({ method: req.method ?? '', url: req.url ?? '', action });
      if (typeof action === 'object') {
        req.resume();
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (action.retryAfter) headers['retry-after'] = action.retryAfter;
        res.writeHead(action.status, headers).end(
          JSON.stringify({
            errors: [{ code: action.status === 429 ? 'TOOMANYREQUESTS' : 'UNAVAILABLE', message: 'injected by the test proxy' }],
          }),
        );
        return;
      }
      const upstream = request(
        { host: targetHost, port: Number(targetPort), method: req.method, path: req.url, headers: { ...req.headers, host: this.target } },
        (answer) => {
          if (action === 'lose-response') {
            answer.resume();
            answer.on('end', () => req.socket.destroy());
            return;
          }
          // Rewrite absolute Location headers so the client keeps talking through the proxy.
          const headers = { ...answer.headers };
          if (typeof headers.location === 'string') headers.location = headers.location.replace(`//${this.target}`, `//${this.host}`);
          res.writeHead(answer.statusCode ?? 502, headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => req.socket.destroy());
      req.pipe(upstream);
    });
    this.listening = await listenOnLoopback(server);
    this.host = this.listening.host;
    return this;
  }

  async stop(): Promise<void> {
    await this.listening?.close();
  }
}
