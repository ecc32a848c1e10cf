import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { listenOnLoopback } from './listenOnLoopback';
import { startRegistry, type RunningRegistry } from './registry';
import { makeCertificates } from './tls';
import type { RegistryTokenSigner } from './tokenServer';

/** Answers the cloud's own endpoints (token exchange, token realm); false lets the request through to Distribution. */
export type FrontHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface FrontedRegistry {
  /** `127.0.0.1:PORT` of the front: the registry host a client uses. */
  host: string;
  caFile: string;
  registry: RunningRegistry;
  /** Registry requests the front refused because their bearer token had expired. */
  expiredBearers(): number;
  stop(): Promise<void>;
}

/**
 * A cloud registry's shape on loopback: one TLS host that serves the cloud's token endpoints itself
 * and passes the registry API to a real Distribution (`auth: token`) behind it, as ACR and GHCR
 * serve both from the registry's host. Unlike Distribution, which grants a minute of leeway, the
 * front refuses a bearer token the moment it expires (by letting Distribution challenge a request
 * without it), so a test can make tokens expire in the middle of an operation.
 */
export async function startFrontedRegistry(
  dir: string,
  name: string,
  realmPath: string,
  handlerFor: (signer: RegistryTokenSigner, origin: string) => FrontHandler,
): Promise<FrontedRegistry> {
  const certs = makeCertificates(dir, name);
  let handler: FrontHandler = async () => false;
  let upstreamPort = 0;
  let expired = 0;
  const server: Server = createServer({ cert: readFileSync(certs.certFile), key: readFileSync(certs.keyFile) }, (req, res) => {
    void (async () => {
      if (await handler(req, res)) return;
      const headers = { ...req.headers, 'x-forwarded-proto': 'https' };
      const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (bearer && expiryOf(bearer) <= Date.now() / 1000) {
        expired++;
        delete headers.authorization;
      }
      const upstream = httpRequest({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', (error) => res.destroy(error));
      req.pipe(upstream);
    })().catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  const { host, close: stopFront } = await listenOnLoopback(server);
  let registry: RunningRegistry;
  try {
    registry = await startRegistry({
      auth: 'token',
      tokenService: async (signer) => {
        handler = handlerFor(signer, `https://${host}`);
        return { realm: `https://${host}${realmPath}`, stop: async () => undefined };
      },
    });
  } catch (error) {
    await stopFront();
    throw error;
  }
  upstreamPort = registry.port;
  return {
    host,
    caFile: certs.caFile,
    registry,
    expiredBearers: () => expired,
    stop: async () => {
      await stopFront();
      await registry.stop();
    },
  };
}

/** The `exp` of a JWT in seconds, 0 when unreadable (so an unreadable token counts as expired). */
export function expiryOf(jwt: string): number {
  try {
    const exp: unknown = (JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp : 0;
  } catch {
    return 0;
  }
}

export function sendJson(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): true {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  return true;
}
