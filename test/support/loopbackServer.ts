import { createServer, type IncomingMessage, type Server } from 'node:http';
import { listenOnLoopback } from './listenOnLoopback';

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RunningLoopbackServer {
  /** `127.0.0.1:PORT` */
  host: string;
  stop(): Promise<void>;
}

/** An HTTP server on a free loopback port answering JSON: a cloud token service's stand-in. */
export async function startLoopbackServer(answer: (req: IncomingMessage, body: string) => Reply): Promise<RunningLoopbackServer> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const reply = answer(req, body);
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  const { host, close } = await listenOnLoopback(server);
  return { host, stop: close };
}
