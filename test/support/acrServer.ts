import { randomUUID } from 'node:crypto';
import { body } from './entraIdServer';
import { expiryOf, sendJson, startFrontedRegistry, type FrontedRegistry } from './registryFront';
import { issueRegistryToken } from './tokenServer';

export interface AcrServerOptions {
  /** Accepts an Entra ID access token at /oauth2/exchange (the Entra ID double's `issued`). */
  acceptsEntraToken: (token: string) => boolean;
  tenantId: string;
  refreshTokenSeconds: number;
  accessTokenSeconds: number;
}

export interface AcrServer extends FrontedRegistry {
  exchanges(): { service: string; tenant: string }[];
  /** The scopes of each refresh-token grant at /oauth2/token. */
  tokenScopes(): string[][];
  /** Refresh-token grants refused because the refresh token had expired. */
  expiredRefreshTokens(): number;
}

/**
 * Azure Container Registry's token service on loopback in front of a real Distribution, as
 * Azure/acr docs/AAD-OAuth.md describes it: POST /oauth2/exchange trades an Entra ID access token
 * (form grant_type=access_token, service, tenant, access_token) for a refresh token, and POST
 * /oauth2/token trades that refresh token (grant_type=refresh_token, service, scope) for an access
 * token per scope, here a JWT Distribution verifies. Both tokens expire strictly on time.
 */
export async function startAcrServer(dir: string, options: AcrServerOptions): Promise<AcrServer> {
  const exchanges: { service: string; tenant: string }[] = [];
  const scopes: string[][] = [];
  const refreshTokens = new Set<string>();
  let expiredRefresh = 0;
  const front = await startFrontedRegistry(dir, 'acr', '/oauth2/token', (signer) => async (req, res) => {
    const path = new URL(req.url ?? '/', 'https://acr').pathname;
    if (req.method === 'POST' && path === '/oauth2/exchange') {
      const form = new URLSearchParams(await body(req));
      exchanges.push({ service: form.get('service') ?? '', tenant: form.get('tenant') ?? '' });
      if (form.get('grant_type') !== 'access_token')
        return sendJson(res, 400, { errors: [{ code: 'UNSUPPORTED', message: 'grant_type must be access_token' }] });
      if (!options.acceptsEntraToken(form.get('access_token') ?? '') || form.get('tenant') !== options.tenantId) {
        return sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'The Entra ID token is not valid for this registry' }] });
      }
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        jti: randomUUID(),
        sub: 'service-principal',
        grant_type: 'refresh_token',
        tenant: options.tenantId,
        iat: now,
        exp: now + options.refreshTokenSeconds,
      };
      const refreshToken = `${Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2lnbmF0dXJl`;
      refreshTokens.add(refreshToken);
      return sendJson(res, 200, { refresh_token: refreshToken });
    }
    if (req.method === 'POST' && path === '/oauth2/token') {
      const form = new URLSearchParams(await body(req));
      const asked = (form.get('scope') ?? '').split(' ').filter(Boolean);
      scopes.push(asked);
      const refreshToken = form.get('refresh_token') ?? '';
      if (form.get('grant_type') !== 'refresh_token' || !refreshTokens.has(refreshToken)) {
        return sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] });
      }
      if (expiryOf(refreshToken) <= Date.now() / 1000) {
        expiredRefresh++;
        return sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'the refresh token has expired' }] });
      }
      const token = issueRegistryToken(signer, { username: 'service-principal', role: 'admin' }, asked, options.accessTokenSeconds);
      return sendJson(res, 200, { access_token: token });
    }
    return false;
  });
  return { ...front, exchanges: () => [...exchanges], tokenScopes: () => [...scopes], expiredRefreshTokens: () => expiredRefresh };
}
