import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { listenOnLoopback } from './listenOnLoopback';
import { certificateBase64 } from './tls';

export interface TokenUser {
  username: string;
  password: string;
  /** Everything asked for (push, delete, catalog), or pull only. */
  role: 'admin' | 'reader';
}

export interface TokenServerOptions extends RegistryTokenSigner {
  users: TokenUser[];
  expiresInSeconds: number;
}

export interface RunningTokenServer {
  url: string;
  requests(): number;
  lastScopes(): string[][];
  stop(): Promise<void>;
}

interface Access {
  type: string;
  name: string;
  actions: string[];
}

/**
 * A token server as in Distribution's token auth spec: GET with Basic credentials (or the OAuth2
 * POST form), answering a JWT that Distribution verifies through the `x5c` chain.
 */
export async function startTokenServer(options: TokenServerOptions): Promise<RunningTokenServer> {
  const key = createPrivateKey(readFileSync(options.signingKeyFile));
  const x5c = [certificateBase64(options.signingCertFile)];
  let count = 0;
  const scopesSeen: string[][] = [];

  const server: Server = createServer(async (req, res) => {
    count++;
    try {
      const url = new URL(req.url ?? '/', 'http://token');
      let username: string | undefined;
      let password: string | undefined;
      let scopes: string[];
      if (req.method === 'POST') {
        const form = new URLSearchParams(await body(req));
        username = form.get('username') ?? undefined;
        password = form.get('password') ?? undefined;
        scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
      } else {
        const auth = req.headers.authorization;
        if (auth?.startsWith('Basic ')) {
          const decoded = Buffer.from(auth.slice(6), 'base64').toString();
          const colon = decoded.indexOf(':');
          username = decoded.slice(0, colon);
          password = decoded.slice(colon + 1);
        }
        scopes = url.searchParams
          .getAll('scope')
          .flatMap((s) => s.split(' '))
          .filter(Boolean);
      }
      scopesSeen.push(scopes);
      let user: TokenUser | undefined;
      if (username !== undefined) {
        user = options.users.find((u) => u.username === username && u.password === password);
        if (!user) {
          res
            .writeHead(401, { 'content-type': 'application/json' })
            .end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] }));
          return;
        }
      }
      const token = signRegistryToken(options, key, x5c, user, scopes, options.expiresInSeconds);
      const now = Math.floor(Date.now() / 1000);
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          token,
          access_token: token,
          expires_in: options.expiresInSeconds,
          issued_at: new Date(now * 1000).toISOString(),
        }),
      );
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  const listening = await listenOnLoopback(server);
  return {
    url: `http://${listening.host}/token`,
    requests: () => count,
    lastScopes: () => [...scopesSeen],
    stop: listening.close,
  };
}

/** What Distribution's `auth: token` needs to verify a JWT: who issues it, for which service, signed how. */
export interface RegistryTokenSigner {
  issuer: string;
  service: string;
  signingKeyFile: string;
  signingCertFile: string;
}

/** A JWT Distribution accepts, granting `user` (by role) the scopes it asked for; anonymous gets nothing. */
export function issueRegistryToken(
  signer: RegistryTokenSigner,
  user: Pick<TokenUser, 'username' | 'role'> | undefined,
  scopes: string[],
  expiresInSeconds: number,
): string {
  return signRegistryToken(
    signer,
    createPrivateKey(readFileSync(signer.signingKeyFile)),
    [certificateBase64(signer.signingCertFile)],
    user,
    scopes,
    expiresInSeconds,
  );
}

function signRegistryToken(
  signer: Pick<RegistryTokenSigner, 'issuer' | 'service'>,
  key: ReturnType<typeof createPrivateKey>,
  x5c: string[],
  user: Pick<TokenUser, 'username' | 'role'> | undefined,
  scopes: string[],
  expiresInSeconds: number,
): string {
  const access = scopes
    .map(parseScope)
    .filter((a): a is Access => !!a)
    .map((a) => grant(user, a))
    .filter((a) => a.actions.length > 0);
  const now = Math.floor(Date.now() / 1000);
  return jwt(
    { alg: 'ES256', typ: 'JWT', x5c },
    {
      iss: signer.issuer,
      sub: user?.username ?? '',
      aud: signer.service,
      exp: now + expiresInSeconds,
      nbf: now - 5,
      iat: now,
      jti: randomUUID(),
      access,
    },
    key,
  );
}

function grant(user: Pick<TokenUser, 'role'> | undefined, asked: Access): Access {
  if (!user) return { ...asked, actions: [] };
  if (user.role === 'admin') return asked;
  return { ...asked, actions: asked.type === 'repository' ? asked.actions.filter((a) => a === 'pull') : [] };
}

/** `type:name:actions`, where the name may hold a ":" (a registry port). */
function parseScope(text: string): Access | undefined {
  const first = text.indexOf(':');
  const last = text.lastIndexOf(':');
  if (first < 0 || last === first) return undefined;
  return {
    type: text.slice(0, first),
    name: text.slice(first + 1, last),
    actions: text
      .slice(last + 1)
      .split(',')
      .filter(Boolean),
  };
}

function jwt(header: object, claims: object, key: ReturnType<typeof createPrivateKey>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(claims)}`;
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}
