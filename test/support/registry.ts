import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCertificates } from './tls';
import { startTokenServer, type RegistryTokenSigner, type RunningTokenServer, type TokenUser } from './tokenServer';

export interface RegistryOptions {
  auth?: 'none' | 'htpasswd' | 'token';
  /** Serve HTTPS with a certificate from a fresh test CA. */
  tls?: boolean;
  /** Token mode: the `expires_in` the token server reports. */
  tokenExpirySeconds?: number;
  /** Reuse a data folder (to restart a registry with its content). */
  dataDir?: string;
  /** Listen on this port (to restart a registry where clients expect it). */
  port?: number;
  /** Other logins than admin/admin-pass and reader/reader-pass (two registries with different accounts). */
  users?: { admin?: TestUser; reader?: TestUser };
  /** Keep Distribution's access log, so a test can count the requests a client makes (requests()). */
  accessLog?: boolean;
  /**
   * Token mode: another token service than the test token server (a cloud registry's double), given
   * the signer whose JWTs Distribution will accept; it answers the realm Distribution announces.
   */
  tokenService?: (signer: RegistryTokenSigner) => Promise<{ realm: string; stop(): Promise<void> }>;
}

export interface TestUser {
  username: string;
  password: string;
}

export interface RunningRegistry {
  /** `127.0.0.1:PORT` */
  host: string;
  url: string;
  /** The test CA's PEM file, when serving TLS. */
  caFile?: string;
  /** May pull, push, delete and list the catalog. */
  admin: TestUser;
  /** Pull only in token mode; htpasswd cannot restrict, so there it is like admin. */
  reader: TestUser;
  tokenServer?: Pick<RunningTokenServer, 'url' | 'requests' | 'lastScopes'>;
  dataDir: string;
  port: number;
  stop(): Promise<void>;
  log(): string;
  /** The request lines of the access log so far ("GET /v2/… HTTP/1.1"); empty unless accessLog was asked for. */
  requests(): string[];
  /**
   * htpasswd and token modes: replaces the accepted logins (with every right), as a cloud registry
   * does when a token expires and another is issued (Distribution rereads its htpasswd file when it
   * changes; the token server reads its list on each request).
   */
  setLogins(users: TestUser[]): void;
}

const REGISTRY_BINARY = process.env.OCI_GITOPS_REGISTRY_BINARY ?? 'docker-registry';
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Starts CNCF Distribution (Debian's docker-registry) on 127.0.0.1 with a temporary store. */
export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'oci-gitops-registry-'));
  const dataDir = options.dataDir ?? join(dir, 'data');
  const port = options.port ?? (await freePort());
  const admin = options.users?.admin ?? { username: 'admin', password: 'admin-pass' };
  const reader = options.users?.reader ?? { username: 'reader', password: 'reader-pass' };
  const config: string[] = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    `    disabled: ${options.accessLog ? 'false' : 'true'}`,
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${dataDir}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  secret: oci-gitops-test-secret',
  ];
  let caFile: string | undefined;
  if (options.tls) {
    const certs = makeCertificates(dir, 'registry');
    caFile = certs.caFile;
    config.push('  tls:', `    certificate: ${certs.certFile}`, `    key: ${certs.keyFile}`);
  }
  let tokenServer: RunningTokenServer | undefined;
  let stopTokenService: (() => Promise<void>) | undefined;
  const htpasswd = join(dir, 'htpasswd');
  const tokenUsers: TokenUser[] = [
    { ...admin, role: 'admin' },
    { ...reader, role: 'reader' },
  ];
  const setLogins = (users: TestUser[]) => {
    if (options.auth === 'token') {
      // The token server reads this list on every request.
      tokenUsers.splice(0, tokenUsers.length, ...users.map((user) => ({ ...user, role: 'admin' as const })));
      return;
    }
    if (options.auth !== 'htpasswd') throw new Error('setLogins needs a registry started with auth: htpasswd or token');
    const lines = users.map((u) => execFileSync('htpasswd', ['-Bbn', u.username, u.password]).toString().trim());
    writeFileSync(htpasswd, `${lines.join('\n')}\n`);
  };
  if (options.auth === 'htpasswd') {
    setLogins([admin, reader]);
    config.push('auth:', '  htpasswd:', '    realm: oci-gitops-test', `    path: ${htpasswd}`);
  } else if (options.auth === 'token') {
    const signing = makeCertificates(dir, 'token-signer', 'DNS:token-signer');
    const signer: RegistryTokenSigner = {
      issuer: 'oci-gitops-test-issuer',
      service: 'oci-gitops-test-registry',
      signingKeyFile: signing.keyFile,
      signingCertFile: signing.certFile,
    };
    let realm: string;
    if (options.tokenService) {
      const service = await options.tokenService(signer);
      realm = service.realm;
      stopTokenService = service.stop;
    } else {
      tokenServer = await startTokenServer({
        ...signer,
        users: tokenUsers,
        expiresInSeconds: options.tokenExpirySeconds ?? 300,
      });
      realm = tokenServer.url;
      stopTokenService = tokenServer.stop;
    }
    config.push(
      'auth:',
      '  token:',
      `    realm: ${realm}`,
      '    service: oci-gitops-test-registry',
      '    issuer: oci-gitops-test-issuer',
      `    rootcertbundle: ${signing.caFile}`,
    );
  }
  const configFile = join(dir, 'config.yml');
  writeFileSync(configFile, `${config.join('\n')}\n`);

  // Distribution writes its log to a file, not to a pipe: a pipe is drained only while this
  // process's event loop runs, and once 64 KiB wait in it Distribution blocks on its next log line
  // (each 404 logs one), with every request that logs behind it. A bench timing commands with
  // spawnSync froze a registry that way after about 160 error responses.
  const logFile = join(dir, 'registry.log');
  const logFd = openSync(logFile, 'a');
  let startError = '';
  const child = spawn(REGISTRY_BINARY, ['serve', configFile], { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const output = () => {
    try {
      return readFileSync(logFile, 'utf8') + startError;
    } catch {
      return startError;
    }
  };
  children.add(child);
  let exited = false;
  child.on('exit', () => {
    exited = true;
    children.delete(child);
  });
  child.on('error', (error) => {
    exited = true;
    startError += `\n${error.message}`;
  });

  const scheme = options.tls ? 'https' : 'http';
  const stop = async () => {
    if (!exited) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (!exited) child.kill('SIGKILL');
    }
    await stopTokenService?.().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, () => exited, 15_000);
  } catch (error) {
    await stop();
    throw new Error(`Distribution did not start on 127.0.0.1:${port}: ${(error as Error).message}\n${output()}`, { cause: error });
  }
  return {
    host: `127.0.0.1:${port}`,
    url: `${scheme}://127.0.0.1:${port}`,
    caFile,
    admin,
    reader,
    tokenServer,
    dataDir,
    port,
    stop,
    log: output,
    // Distribution writes the combined log format: host - user [time] "METHOD /path HTTP/1.1" status size …
    setLogins,
    requests: () => [...output().matchAll(/"((?:GET|HEAD|PUT|POST|PATCH|DELETE) \/v2\/[^"]*)"/g)].map((m) => m[1]),
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, exited: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error('the registry process exited');
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing answered within ${timeoutMs} ms`);
}
