import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { listenOnLoopback } from './listenOnLoopback';
import { makeCertificates } from './tls';

export interface EntraIdServer {
  /** `https://127.0.0.1:PORT`, for AZURE_AUTHORITY_HOST or a credential's authorityHost. */
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** The test CA that signed the server's certificate (PEM text), for the SDK's tlsOptions. */
  ca: string;
  /** The scopes of every client-credentials request, in order. */
  scopesAsked(): string[];
  /** True for an access token this server issued that has not expired. */
  issued(token: string): boolean;
  stop(): Promise<void>;
}

/**
 * A loopback Microsoft Entra ID tenant for one confidential client, speaking what MSAL (under
 * @azure/identity) asks of a tenant once instance discovery is off: the OpenID Connect metadata at
 * /{tenant}/v2.0/.well-known/openid-configuration and the client-credentials grant at
 * /{tenant}/oauth2/v2.0/token, whose access tokens carry `tid` and `aud` as Entra ID's do.
 */
export async function startEntraIdServer(dir: string): Promise<EntraIdServer> {
  const certs = makeCertificates(dir, 'entra');
  const tenantId = randomUUID();
  const clientId = randomUUID();
  const clientSecret = `secret-${randomUUID()}`;
  const scopes: string[] = [];
  const issued = new Map<string, number>();
  let base = '';

  const server: Server = createServer({ cert: readFileSync(certs.certFile), key: readFileSync(certs.keyFile) }, async (req, res) => {
    const url = new URL(req.url ?? '/', base);
    const json = (status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'GET' && url.pathname === `/${tenantId}/v2.0/.well-known/openid-configuration`) {
      json(200, {
        issuer: `${base}/${tenantId}/v2.0`,
        authorization_endpoint: `${base}/${tenantId}/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/${tenantId}/oauth2/v2.0/token`,
        end_session_endpoint: `${base}/${tenantId}/oauth2/v2.0/logout`,
        jwks_uri: `${base}/${tenantId}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'token'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
      return;
    }
    if (req.method === 'POST' && url.pathname === `/${tenantId}/oauth2/v2.0/token`) {
      const form = new URLSearchParams(await body(req));
      scopes.push(form.get('scope') ?? '');
      if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== clientId) {
        json(400, {
          error: 'unauthorized_client',
          error_description: `AADSTS700016: Application with identifier '${form.get('client_id')}' was not found.`,
        });
        return;
      }
      if (form.get('client_secret') !== clientSecret) {
        json(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
        return;
      }
      const resource = (form.get('scope') ?? '').split(' ')[0].replace(/\/\.default$/, '');
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        aud: resource,
        iss: `https://sts.windows.net/${tenantId}/`,
        tid: tenantId,
        appid: clientId,
        iat: now,
        nbf: now,
        exp: now + 3600,
      };
      const token = `${encode({ typ: 'JWT', alg: 'RS256' })}.${encode(claims)}.${Buffer.from(randomUUID()).toString('base64url')}`;
      issued.set(token, claims.exp);
      json(200, { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: token });
      return;
    }
    json(404, { error: 'not_found', error_description: `no ${req.method} ${url.pathname} on this test tenant` });
  });
  const listening = await listenOnLoopback(server);
  base = `https://${listening.host}`;
  return {
    authorityHost: base,
    tenantId,
    clientId,
    clientSecret,
    ca: readFileSync(certs.caFile, 'utf8'),
    scopesAsked: () => [...scopes],
    issued: (token) => (issued.get(token) ?? 0) > Date.now() / 1000,
    stop: listening.close,
  };
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}
