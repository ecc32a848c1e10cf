import { Readable } from 'node:stream';
import { firstHeader } from './headers';
import { networkCode } from './retry';
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

// A registry on loopback is first asked over plain HTTP, as go-containerregistry's pkg/name does
// for localhost, 127.0.0.1 and ::1 (Registry.Scheme): local registries (kind's, `docker run
// registry:2`, zot) mostly serve plain HTTP, and a TLS attempt first costs every process that
// talks to one the loading of the system's CA store (about 15 ms of a 200 ms CLI run here). What
// a TLS-only server does with a plain request tells it apart, and the request goes again over TLS.

/** Go's net/http (Distribution, zot, Harbor) and nginx answering a plain request on a TLS port. */
const TLS_PORT_ANSWER = /HTTP request to an HTTPS server|plain HTTP request was sent to HTTPS port/i;

/** A TLS server that does not answer plain HTTP at all (Node, Envoy, Java) closes the connection. */
export function closedWithoutAnswer(error: unknown): boolean {
  const code = networkCode(error);
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
}

/** What this file needs of a RegistryResponse (transport.ts imports this file). */
interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Dispatcher.ResponseData['body'];
}

/**
 * Whether a response to a plain-HTTP request came from a server that wants TLS. Only a 400 that
 * is not a registry's JSON error is read for it; the response is handed back whole otherwise
 * (its body replayed when it had to be read).
 */
export async function answeredByTlsPort<R extends Answer>(response: R, method: string): Promise<{ tls: boolean; response: R }> {
  const type = firstHeader(response.headers['content-type']) ?? '';
  if (response.status !== 400 || /json/i.test(type)) return { tls: false, response };
  // An answer to HEAD has no body to read: Go's is a bare status line, with not one header, where
  // any registry's own 400 has at least a Content-Type or a Date.
  if (method === 'HEAD') return { tls: Object.keys(response.headers).length === 0, response };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) break;
  }
  const bytes = Buffer.concat(chunks);
  if (TLS_PORT_ANSWER.test(bytes.toString('utf8'))) return { tls: true, response };
  return { tls: false, response: { ...response, body: replayed(bytes) } };
}

/** A body read once, offered again with the methods callers of undici's bodies use. */
function replayed(bytes: Buffer): Answer['body'] {
  const stream = Readable.from([bytes]);
  return Object.assign(stream, {
    dump: async () => void stream.destroy(),
    text: async () => bytes.toString('utf8'),
    json: async () => JSON.parse(bytes.toString('utf8')) as unknown,
    arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
  }) as unknown as Answer['body'];
}
