import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SigningError } from '../errors';
import { identityTokenClaims } from './identityToken';
import { errorMessage } from '../../text/format';
import { withoutTrailingSlashes } from '../../text/trim';

export const DEFAULT_OIDC_ISSUER = 'https://oauth2.sigstore.dev/auth';
export const DEFAULT_OIDC_CLIENT_ID = 'sigstore';
const CALLBACK_PATH = '/auth/callback';

export interface LoopbackOptions {
  /** The OIDC issuer; its discovery document names the endpoints. Default: Sigstore's public Dex. */
  issuer?: string;
  clientId?: string;
  /** Sigstore's client is public (no secret); a private issuer may need one. */
  clientSecret?: string;
  /** Shows the sign-in page: vscode.env.openExternal in the editor, printing the URL in the CLI. */
  openBrowser: (url: string) => void | Promise<void>;
  /** How long to wait for the browser to come back (default 5 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface Discovery {
  authorizationEndpoint: string;
  tokenEndpoint: string;
}

/**
 * The interactive flow `cosign sign` uses without a key (sigstore/sigstore pkg/oauthflow): an
 * authorization-code grant with PKCE (S256) whose redirect lands on a one-shot HTTP server on
 * 127.0.0.1 and a random port. `state` ties the redirect to this attempt (anything else is
 * refused, which stops a page from feeding us its own code), `nonce` ties the id_token to it.
 * Returns the id_token for Fulcio. The token is never logged and never part of an error.
 */
export async function getIdentityTokenInteractively(options: LoopbackOptions): Promise<string> {
  const issuer = withoutTrailingSlashes(options.issuer ?? DEFAULT_OIDC_ISSUER);
  const clientId = options.clientId ?? DEFAULT_OIDC_CLIENT_ID;
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const discovery = await discover(issuer, options.signal);
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const nonce = randomBytes(16).toString('base64url');

  const callback = await listenForCallback(state, timeoutMs, issuer, options.signal);
  try {
    const redirectUri = `http://127.0.0.1:${callback.port}${CALLBACK_PATH}`;
    const url = new URL(discovery.authorizationEndpoint);
    url.search = new URLSearchParams({
      ...Object.fromEntries(url.searchParams),
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: 'openid email',
      state,
      nonce,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    await options.openBrowser(url.toString());
    const code = await callback.code;
    const token = await exchangeCode(
      discovery.tokenEndpoint,
      { code, redirectUri, verifier, clientId, clientSecret: options.clientSecret },
      options.signal,
    );
    checkIdToken(token, issuer, clientId, nonce);
    return token;
  } finally {
    callback.close();
  }
}

async function discover(issuer: string, signal?: AbortSignal): Promise<Discovery> {
  const url = `${issuer}/.well-known/openid-configuration`;
  requireSecure(url, 'the issuer');
  let document: Record<string, unknown>;
  try {
    const response = await fetch(url, { signal, headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    document = (await response.json()) as Record<string, unknown>;
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new SigningError(
      'KEY_INVALID',
      `Cannot read the OIDC discovery document ${url}: ${errorMessage(error)}`,
      'Check the issuer URL and the network, or pass a token with SIGSTORE_ID_TOKEN / --identity-token-file',
    );
  }
  // OpenID Connect Discovery §4.3: the document must name the issuer it was fetched for.
  if (typeof document.issuer === 'string' && withoutTrailingSlashes(document.issuer) !== issuer) {
    throw new SigningError(
      'KEY_INVALID',
      `The discovery document at ${url} is for issuer ${document.issuer}, not ${issuer}`,
      'Use the issuer URL exactly as the provider publishes it',
    );
  }
  const authorizationEndpoint = document.authorization_endpoint;
  const tokenEndpoint = document.token_endpoint;
  if (typeof authorizationEndpoint !== 'string' || typeof tokenEndpoint !== 'string') {
    throw new SigningError(
      'KEY_INVALID',
      `The discovery document at ${url} lacks authorization_endpoint or token_endpoint`,
      'This issuer does not support the browser sign-in flow; pass a token with SIGSTORE_ID_TOKEN instead',
    );
  }
  requireSecure(authorizationEndpoint, 'the authorization endpoint');
  requireSecure(tokenEndpoint, 'the token endpoint');
  return { authorizationEndpoint, tokenEndpoint };
}

/** The code travels through these URLs: plain HTTP only to this machine. */
function requireSecure(url: string, what: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SigningError('KEY_INVALID', `${what} URL ${JSON.stringify(url)} is not a URL`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    throw new SigningError(
      'KEY_INVALID',
      `${what} ${url} is not HTTPS`,
      'Sign-in codes and tokens may only travel over HTTPS (or HTTP to this machine)',
    );
  }
}

interface Callback {
  port: number;
  code: Promise<string>;
  close(): void;
}

/** A server that answers one redirect to /auth/callback, checking `state` before taking the code. */
async function listenForCallback(state: string, timeoutMs: number, issuer: string, signal?: AbortSignal): Promise<Callback> {
  let settle!: { resolve: (code: string) => void; reject: (error: Error) => void };
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  // Nobody may be awaiting `code` yet when it fails (e.g. openBrowser threw); avoid an unhandled rejection.
  code.catch(() => undefined);
  let done = false;
  const finish = (error: Error | undefined, value?: string) => {
    if (done) return;
    done = true;
    if (error) settle.reject(error);
    else settle.resolve(value!);
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method !== 'GET' || url.pathname !== CALLBACK_PATH) return page(response, 404, 'Not found.');
    if (done) return page(response, 410, 'This sign-in has already finished; you can close this tab.');
    const returned = url.searchParams.get('state') ?? '';
    if (!sameSecret(returned, state)) {
      page(response, 400, 'Sign-in refused: the response does not belong to this sign-in (state mismatch).');
      return finish(
        new SigningError(
          'KEY_INVALID',
          'The sign-in redirect carried a wrong state parameter, so it was refused (it did not come from the sign-in this run started)',
          'Run the command again and finish sign-in in the browser window it opens',
        ),
      );
    }
    const error = url.searchParams.get('error');
    if (error) {
      const description = url.searchParams.get('error_description');
      page(response, 400, 'Sign-in failed; see the terminal or editor for details.');
      return finish(
        new SigningError(
          'KEY_INVALID',
          `${issuer} refused the sign-in: ${error}${description ? ` (${description})` : ''}`,
          'Try again, with an account the issuer accepts',
        ),
      );
    }
    const value = url.searchParams.get('code');
    if (!value) {
      page(response, 400, 'Sign-in failed: no authorization code.');
      return finish(new SigningError('KEY_INVALID', `${issuer} redirected back without an authorization code`));
    }
    page(response, 200, 'Signed in. You can close this tab and return to OCI GitOps.');
    finish(undefined, value);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const timer = setTimeout(
    () =>
      finish(
        new SigningError(
          'KEY_INVALID',
          `No sign-in completed at ${issuer} within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`,
          'Run again and finish sign-in in the browser, or pass a token with SIGSTORE_ID_TOKEN / --identity-token-file',
        ),
      ),
    timeoutMs,
  );
  timer.unref?.();
  const onAbort = () => finish(signal?.reason instanceof Error ? signal.reason : new Error('sign-in cancelled'));
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  return {
    port: (server.address() as AddressInfo).port,
    code,
    close: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      finish(new Error('sign-in closed'));
      server.closeAllConnections?.();
      server.close();
    },
  };
}

async function exchangeCode(
  tokenEndpoint: string,
  grant: { code: string; redirectUri: string; verifier: string; clientId: string; clientSecret?: string },
  signal?: AbortSignal,
): Promise<string> {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: grant.code,
    redirect_uri: grant.redirectUri,
    code_verifier: grant.verifier,
    client_id: grant.clientId,
  });
  if (grant.clientSecret) body.set('client_secret', grant.clientSecret);
  let answer: { id_token?: unknown; error?: unknown; error_description?: unknown };
  let status: number;
  try {
    const response = await fetch(tokenEndpoint, { method: 'POST', body, signal, headers: { accept: 'application/json' } });
    status = response.status;
    answer = (await response.json().catch(() => ({}))) as typeof answer;
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new SigningError(
      'KEY_INVALID',
      `Cannot reach the token endpoint ${tokenEndpoint}: ${errorMessage(error)}`,
      'Check the network and try again',
    );
  }
  if (status >= 400 || typeof answer.id_token !== 'string') {
    // Only the OAuth error fields are quoted: a response body may hold tokens.
    const why =
      typeof answer.error === 'string'
        ? `${answer.error}${typeof answer.error_description === 'string' ? ` (${answer.error_description})` : ''}`
        : `HTTP ${status}, no id_token`;
    throw new SigningError('KEY_INVALID', `The token endpoint ${tokenEndpoint} did not return an ID token: ${why}`, 'Try signing in again');
  }
  return answer.id_token;
}

/** The id_token must be for this issuer, this client and this attempt (nonce); Fulcio checks its signature. */
function checkIdToken(token: string, issuer: string, clientId: string, nonce: string): void {
  const claims = identityTokenClaims(token);
  if (withoutTrailingSlashes(claims.iss) !== issuer)
    throw new SigningError('KEY_INVALID', `The ID token was issued by ${claims.iss}, not ${issuer}`, 'Sign in again');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.aud !== undefined && !audiences.includes(clientId))
    throw new SigningError(
      'KEY_INVALID',
      `The ID token is for audience ${audiences.join(', ')}, not the client ${clientId}`,
      'Sign in again, or pass the client id the issuer expects',
    );
  if (typeof claims.nonce !== 'string' || !sameSecret(claims.nonce, nonce))
    throw new SigningError('KEY_INVALID', 'The ID token does not carry the nonce of this sign-in, so it was refused', 'Sign in again');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function page(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
  response.end(`<!doctype html><meta charset="utf-8"><title>OCI GitOps sign-in</title><p>${text}</p>`);
}
