import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fulcioHandler, initializeCA, initializeCTLog, initializeTLog, rekorHandler, type HandlerFn } from '@sigstore/mock';
import { listenOnLoopback } from './listenOnLoopback';

/**
 * A local Sigstore: @sigstore/mock's Fulcio (with its CT log) and Rekor handlers served over real
 * HTTP on 127.0.0.1, so @sigstore/sign talks to them exactly as to fulcio.sigstore.dev and
 * rekor.sigstore.dev. Each service has its own key pair, and `trustedRoot` is the
 * trusted_root.json a verifier (or Flux's trustedRootSecretRef) would need for them.
 */
export interface RunningSigstore {
  fulcioURL: string;
  rekorURL: string;
  /** protobuf-JSON TrustedRoot for this Fulcio CA, CT log and Rekor. */
  trustedRoot: Record<string, unknown>;
  /** Requests answered, by path (`/api/v2/signingCert`, `/api/v1/log/entries`). */
  requests: Map<string, number>;
  stop(): Promise<void>;
}

export async function startSigstore(): Promise<RunningSigstore> {
  const p256 = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const validFrom = new Date(Date.now() - 60_000).toISOString();
  const requests = new Map<string, number>();
  const ctLog = await initializeCTLog(p256());
  const ca = await initializeCA(p256(), ctLog);
  const fulcio = await serve([fulcioHandler(ca)], requests);
  // The Rekor mock names its checkpoint origin after its URL, so the URL must exist first.
  const rekorKeys = p256();
  const rekor = await serve([], requests);
  const tlog = await initializeTLog(rekor.url, rekorKeys);
  const rekorMock = rekorHandler(tlog);
  rekor.handlers.push({ path: rekorMock.path, fn: (body) => rekorMock.fn(canonicalDsseEntry(body)) });

  const rekorKey = rekorKeys.publicKey.export({ type: 'spki', format: 'der' });
  const log = (baseUrl: string, spki: Buffer, logId: Buffer) => ({
    baseUrl,
    hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: spki.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: validFrom } },
    logId: { keyId: logId.toString('base64') },
  });
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [log(rekor.url, rekorKey, createHash('sha256').update(rekorKey).digest())],
    certificateAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
        uri: fulcio.url,
        certChain: {
          certificates: [
            {
              rawBytes: Buffer.from(ca.rootCertificate.buffer, ca.rootCertificate.byteOffset, ca.rootCertificate.byteLength).toString(
                'base64',
              ),
            },
          ],
        },
        validFor: { start: validFrom },
      },
    ],
    ctlogs: [
      log(
        'https://ctfe.sigstore.mock',
        Buffer.from(ctLog.publicKey),
        Buffer.from(ctLog.logID.buffer, ctLog.logID.byteOffset, ctLog.logID.byteLength),
      ),
    ],
    timestampAuthorities: [],
  };
  return {
    fulcioURL: fulcio.url,
    rekorURL: rekor.url,
    trustedRoot,
    requests,
    stop: async () => {
      await Promise.all([fulcio.close(), rekor.close()]);
    },
  };
}

/**
 * Real Rekor does not store a proposed `dsse` entry as sent: it keeps hashes of the envelope and
 * payload and the signatures with their verifiers (rekor pkg/types/dsse/v0.0.1 Canonicalize), and
 * verifiers (@sigstore/verify, sigstore-go) compare bundles against that form. The mock stores
 * what it is given, so give it what Rekor would store.
 */
function canonicalDsseEntry(body: string): string {
  const proposed = JSON.parse(body) as {
    kind?: string;
    apiVersion?: string;
    spec?: { proposedContent?: { envelope: string; verifiers: string[] } };
  };
  const content = proposed.spec?.proposedContent;
  if (proposed.kind !== 'dsse' || !content) return body;
  const envelope = JSON.parse(content.envelope) as { payload: string; signatures: Array<{ sig: string }> };
  const sha256 = (data: Buffer | string) => ({ algorithm: 'sha256', value: createHash('sha256').update(data).digest('hex') });
  return JSON.stringify({
    apiVersion: proposed.apiVersion,
    kind: 'dsse',
    spec: {
      envelopeHash: sha256(content.envelope),
      payloadHash: sha256(Buffer.from(envelope.payload, 'base64')),
      signatures: envelope.signatures.map((s, i) => ({ signature: s.sig, verifier: content.verifiers[i] ?? content.verifiers[0] })),
    },
  });
}

/** An unsigned JWT (alg none): the mock Fulcio reads its claims without checking a signature. */
export function identityToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ aud: 'sigstore', iat: now, exp: now + 600, ...claims })}.`;
}

interface Served {
  url: string;
  handlers: Array<{ path: string; fn: HandlerFn }>;
  close(): Promise<void>;
}

async function serve(handlers: Array<{ path: string; fn: HandlerFn }>, requests: Map<string, number>): Promise<Served> {
  const server = createServer((request, response) => {
    void answer(request, response, handlers, requests);
  });
  const { host, close } = await listenOnLoopback(server);
  return { url: `http://${host}`, handlers, close };
}

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  handlers: Served['handlers'],
  requests: Map<string, number>,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const handler = handlers.find((h) => h.path === request.url);
  if (!handler || request.method !== 'POST') {
    response.writeHead(404, { 'content-type': 'text/plain' }).end(`no mock for ${request.method} ${request.url}`);
    return;
  }
  requests.set(handler.path, (requests.get(handler.path) ?? 0) + 1);
  const result = await handler.fn(Buffer.concat(chunks).toString('utf8'));
  response.writeHead(result.statusCode, { 'content-type': result.contentType ?? 'text/plain' });
  response.end(
    typeof result.response === 'string'
      ? result.response
      : Buffer.from(result.response.buffer, result.response.byteOffset, result.response.byteLength),
  );
}

export interface FakeOidcIssuer {
  /** The issuer URL (also the `iss` of the tokens it returns). */
  url: string;
  /** What the token endpoint last received (to check PKCE). */
  lastTokenRequest?: URLSearchParams;
  /** How many code exchanges the token endpoint answered. */
  tokenRequests: number;
  stop(): Promise<void>;
}

/**
 * A tiny OIDC provider for the loopback flow: a discovery document, an authorization endpoint
 * that "signs the user in" at once and redirects with a code and the caller's state, and a token
 * endpoint that checks the code and the PKCE verifier and returns an unsigned id_token with the
 * nonce of the authorization request.
 */
export async function startFakeOidcIssuer(claims: Record<string, unknown>): Promise<FakeOidcIssuer> {
  const grants = new Map<string, { challenge: string; nonce: string; redirectUri: string; clientId: string }>();
  const issuer: FakeOidcIssuer = { url: '', tokenRequests: 0, stop: async () => undefined };
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', issuer.url);
      const path = url.pathname.slice(new URL(issuer.url).pathname.length);
      if (request.method === 'GET' && path === '/.well-known/openid-configuration') {
        return json(response, 200, {
          issuer: issuer.url,
          authorization_endpoint: `${issuer.url}/authorize`,
          token_endpoint: `${issuer.url}/token`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
        });
      }
      if (request.method === 'GET' && path === '/authorize') {
        const q = url.searchParams;
        if (
          q.get('response_type') !== 'code' ||
          q.get('code_challenge_method') !== 'S256' ||
          !q.get('code_challenge') ||
          !q.get('redirect_uri') ||
          !q.get('state') ||
          !q.get('nonce')
        )
          return json(response, 400, { error: 'invalid_request' });
        const code = randomBytes(12).toString('hex');
        grants.set(code, {
          challenge: q.get('code_challenge')!,
          nonce: q.get('nonce')!,
          redirectUri: q.get('redirect_uri')!,
          clientId: q.get('client_id') ?? '',
        });
        const back = new URL(q.get('redirect_uri')!);
        back.searchParams.set('code', code);
        back.searchParams.set('state', q.get('state')!);
        response.writeHead(302, { location: back.toString() }).end();
        return;
      }
      if (request.method === 'POST' && path === '/token') {
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(chunk as Buffer);
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        issuer.lastTokenRequest = form;
        issuer.tokenRequests += 1;
        const grant = grants.get(form.get('code') ?? '');
        grants.delete(form.get('code') ?? '');
        const verifierOk =
          grant &&
          createHash('sha256')
            .update(form.get('code_verifier') ?? '')
            .digest('base64url') === grant.challenge;
        if (
          !grant ||
          !verifierOk ||
          form.get('redirect_uri') !== grant.redirectUri ||
          form.get('client_id') !== grant.clientId ||
          form.get('grant_type') !== 'authorization_code'
        )
          return json(response, 400, { error: 'invalid_grant' });
        return json(response, 200, {
          access_token: 'unused',
          token_type: 'Bearer',
          id_token: identityToken({ iss: issuer.url, aud: grant.clientId, nonce: grant.nonce, ...claims }),
        });
      }
      json(response, 404, { error: 'not_found' });
    })();
  });
  const listening = await listenOnLoopback(server);
  issuer.url = `http://${listening.host}/auth`;
  issuer.stop = listening.close;
  return issuer;
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
