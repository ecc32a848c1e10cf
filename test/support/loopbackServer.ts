import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
