import { sendJson, startFrontedRegistry, type FrontedRegistry } from './registryFront';
import { issueRegistryToken } from './tokenServer';

export interface GhcrServerOptions {
  /** The GitHub tokens the registry knows, with the package scope each was granted. */
  tokens: Record<string, 'read:packages' | 'write:packages'>;
  accessTokenSeconds: number;
}

export interface GhcrServer extends FrontedRegistry {
  /** The user names the token requests came with (GHCR ignores them; the client chooses). */
  usernames(): string[];
  /** The scopes of each token request. */
  tokenScopes(): string[][];
}

/**
 * GitHub Container Registry's token flow on loopback in front of a real Distribution: the registry
 * challenges with `Bearer realm="https://<host>/token"`, and GET /token with Basic credentials
 * (any user name, a GitHub token as the password) answers `{"token"}` for the scopes the token's
 * package permission allows: pull for read:packages, pull and push for write:packages.
 */
export async function startGhcrServer(dir: string, options: GhcrServerOptions): Promise<GhcrServer> {
  const usernames: string[] = [];
  const scopes: string[][] = [];
  const front = await startFrontedRegistry(dir, 'ghcr', '/token', (signer) => async (req, res) => {
    const url = new URL(req.url ?? '/', 'https://ghcr');
    if (req.method !== 'GET' || url.pathname !== '/token') return false;
    const asked = url.searchParams.getAll('scope').flatMap((scope) => scope.split(' ').filter(Boolean));
    scopes.push(asked);
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!basic) return sendJson(res, 200, { token: issueRegistryToken(signer, undefined, asked, options.accessTokenSeconds) });
    const decoded = Buffer.from(basic, 'base64').toString();
    const colon = decoded.indexOf(':');
    usernames.push(decoded.slice(0, colon));
    const permission = options.tokens[decoded.slice(colon + 1)];
    if (!permission) return sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] });
    const role = permission === 'write:packages' ? 'admin' : 'reader';
    return sendJson(res, 200, { token: issueRegistryToken(signer, { username: 'octocat', role }, asked, options.accessTokenSeconds) });
  });
  return { ...front, usernames: () => [...usernames], tokenScopes: () => [...scopes] };
}
