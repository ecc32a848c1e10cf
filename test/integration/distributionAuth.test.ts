import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import {
  bufferSource,
  DockerConfigCredentials,
  isOciError,
  OciClient,
  StaticCredentials,
  type Logger,
  parseReference,
} from '../../src/oci';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { pushArtifact } from './fixtures';

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (message: string) => void lines.push(message);
  return { lines, debug: log, info: log, warn: log, error: log };
}

describe('Basic auth (htpasswd) on CNCF Distribution', () => {
  let registry: RunningRegistry;
  before(async () => {
    registry = await startRegistry({ auth: 'htpasswd' });
  });
  after(async () => registry?.stop());

  test('without credentials the error says to sign in, naming the registry', async () => {
    const client = new OciClient();
    try {
      await assert.rejects(
        client.repository(parseReference(`${registry.host}/team/app`)).tagPage(),
        (error: unknown) =>
          isOciError(error, 'UNAUTHORIZED') && (error as Error).message.includes(registry.host) && /Sign in/.test((error as Error).message),
      );
    } finally {
      await client.close();
    }
  });

  test('with a username and password the client pushes and pulls, and never logs the password', async () => {
    const logger = recordingLogger();
    const client = new OciClient({ credentials: new StaticCredentials(registry.host, registry.admin), logger });
    try {
      const repo = client.repository(parseReference(`${registry.host}/team/app`));
      const pushed = await pushArtifact(repo, 'v1');
      assert.equal((await repo.resolve('v1')).digest, pushed.digest);
      const everything = logger.lines.join('\n');
      assert.ok(logger.lines.length > 0);
      assert.ok(!everything.includes(registry.admin.password), 'the password is not in the log');
      assert.ok(!/authorization|basic /i.test(everything), 'no Authorization header in the log');
    } finally {
      await client.close();
    }
  });

  test('a wrong password is UNAUTHORIZED, not retried forever', async () => {
    const client = new OciClient({
      credentials: new StaticCredentials(registry.host, { username: registry.admin.username, password: 'wrong' }),
    });
    try {
      await assert.rejects(client.registry(registry.host).ping(), (error: unknown) => isOciError(error, 'UNAUTHORIZED'));
    } finally {
      await client.close();
    }
  });

  test('the CLI signs in with --username and --password-stdin, and never takes a password as an argument', async () => {
    const cli = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
    const seed = new OciClient({ credentials: new StaticCredentials(registry.host, registry.admin) });
    await pushArtifact(seed.repository(parseReference(`${registry.host}/team/cli`)), 'v1');
    await seed.close();
    const { stdout } = await runWithInput(
      process.execPath,
      [cli, 'tags', `${registry.host}/team/cli`, '--username', registry.admin.username, '--password-stdin'],
      `${registry.admin.password}\n`,
    );
    assert.equal(stdout.trim(), 'v1');
    const refused = await runWithInput(
      process.execPath,
      [cli, 'tags', `${registry.host}/team/cli`, '--username', registry.admin.username],
      '',
    ).catch((error: { code: number; stderr: string }) => error);
    assert.equal((refused as { code: number }).code, 2);
    assert.match((refused as { stderr: string }).stderr, /passwords are never taken on the command line/);
  });

  test("credentials are read from Docker's config.json", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'docker-config-'));
    const configPath = join(dir, 'config.json');
    await writeFile(
      configPath,
      JSON.stringify({
        auths: { [registry.host]: { auth: Buffer.from(`${registry.admin.username}:${registry.admin.password}`).toString('base64') } },
      }),
    );
    const client = new OciClient({ credentials: new DockerConfigCredentials({ configPath }) });
    try {
      await client.registry(registry.host).ping();
      const page = await client.registry(registry.host).repositoryPage();
      assert.ok(Array.isArray(page.items));
    } finally {
      await client.close();
    }
  });
});

describe('token auth on CNCF Distribution', () => {
  let registry: RunningRegistry;
  before(async () => {
    registry = await startRegistry({ auth: 'token', tokenExpirySeconds: 2 });
  });
  after(async () => registry?.stop());

  test('the admin gets a bearer token from the realm and pushes, pulls and lists the catalog', async () => {
    const client = new OciClient({ credentials: new StaticCredentials(registry.host, registry.admin) });
    try {
      const repo = client.repository(parseReference(`${registry.host}/team/app`));
      const pushed = await pushArtifact(repo, 'v1');
      assert.equal((await repo.fetchManifest('v1')).descriptor.digest, pushed.digest);
      const catalog = await client.registry(registry.host).repositoryPage();
      assert.ok(catalog.items.includes('team/app'));
      assert.ok(
        registry.tokenServer!.lastScopes().some((scopes) => scopes.includes('registry:catalog:*')),
        'the catalog asked for registry:catalog:*',
      );
    } finally {
      await client.close();
    }
  });

  test('tokens are cached per scope: repeated reads make no new token requests', async () => {
    const client = new OciClient({ credentials: new StaticCredentials(registry.host, registry.admin) });
    try {
      const repo = client.repository(parseReference(`${registry.host}/team/cached`));
      await pushArtifact(repo, 'v1');
      await repo.tagPage();
      const before = registry.tokenServer!.requests();
      for (let i = 0; i < 5; i++) await repo.resolve('v1');
      assert.equal(registry.tokenServer!.requests(), before);
    } finally {
      await client.close();
    }
  });

  test('an expired token is replaced by a new one', async () => {
    const client = new OciClient({ credentials: new StaticCredentials(registry.host, registry.admin) });
    try {
      const repo = client.repository(parseReference(`${registry.host}/team/expiry`));
      await pushArtifact(repo, 'v1');
      await repo.resolve('v1');
      const before = registry.tokenServer!.requests();
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      await repo.resolve('v1');
      assert.ok(registry.tokenServer!.requests() > before);
    } finally {
      await client.close();
    }
  });

  test('a mount asks for push on the target and pull on the source repository', async () => {
    const client = new OciClient({ credentials: new StaticCredentials(registry.host, registry.admin) });
    try {
      const source = client.repository(parseReference(`${registry.host}/team/source`));
      await pushArtifact(source, 'v1', { files: { 'm.yaml': 'mount: me\n' } });
      const target = client.repository(parseReference(`${registry.host}/team/target`));
      const pushed = await target.pushBlob(bufferSource(Buffer.from('mount: me\n')), { mountFrom: 'team/source' });
      assert.equal(pushed.how, 'mounted');
      assert.ok(
        registry
          .tokenServer!.lastScopes()
          .some(
            (scopes) =>
              scopes.includes('repository:team/source:pull') &&
              scopes.some((s) => s.startsWith('repository:team/target:') && s.includes('push')),
          ),
      );
    } finally {
      await client.close();
    }
  });

  test('a pull-only account is told it may not push', async () => {
    const client = new OciClient({ credentials: new StaticCredentials(registry.host, registry.reader) });
    try {
      await assert.rejects(
        pushArtifact(client.repository(parseReference(`${registry.host}/team/readonly`)), 'v1'),
        (error: unknown) =>
          (isOciError(error, 'UNAUTHORIZED') || isOciError(error, 'DENIED')) && (error as Error).message.includes(registry.host),
      );
    } finally {
      await client.close();
    }
  });

  test('anonymous access is refused with a sign-in hint', async () => {
    const client = new OciClient();
    try {
      await assert.rejects(
        client.repository(parseReference(`${registry.host}/team/app`)).tagPage(),
        (error: unknown) => isOciError(error, 'UNAUTHORIZED') && /Sign in/.test((error as Error).message),
      );
    } finally {
      await client.close();
    }
  });

  test('a wrong password is rejected by the token service with a sign-in hint', async () => {
    const client = new OciClient({
      credentials: new StaticCredentials(registry.host, { username: registry.admin.username, password: 'nope' }),
    });
    try {
      await assert.rejects(
        client.registry(registry.host).ping(),
        (error: unknown) => isOciError(error, 'UNAUTHORIZED') && /Sign in/.test((error as Error).message),
      );
    } finally {
      await client.close();
    }
  });
});

describe('TLS with a private CA', () => {
  let registry: RunningRegistry;
  before(async () => {
    registry = await startRegistry({ auth: 'none', tls: true });
  });
  after(async () => registry?.stop());

  test('the registry is reached over HTTPS when its CA file is configured', async () => {
    const client = new OciClient({ settingsFor: () => ({ caFile: registry.caFile }) });
    try {
      const repo = client.repository(parseReference(`${registry.host}/secure/app`));
      const pushed = await pushArtifact(repo, 'v1');
      assert.equal((await repo.resolve('v1')).digest, pushed.digest);
    } finally {
      await client.close();
    }
  });

  test('without the CA the error names the untrusted certificate and the caFile setting', async () => {
    const client = new OciClient();
    try {
      await assert.rejects(
        client.registry(registry.host).ping(),
        (error: unknown) => isOciError(error, 'TLS') && /caFile/.test((error as Error).message),
      );
    } finally {
      await client.close();
    }
  });

  test('a CA file set after a failed connection applies once connections are reset', async () => {
    const settings: { caFile?: string } = {};
    const client = new OciClient({ settingsFor: () => settings });
    try {
      await assert.rejects(client.registry(registry.host).ping(), (error: unknown) => isOciError(error, 'TLS'));
      settings.caFile = registry.caFile;
      await client.resetConnections();
      await client.registry(registry.host).ping();
    } finally {
      await client.close();
    }
  });

  test('a TLS registry is never downgraded to plain HTTP', async () => {
    const client = new OciClient({ settingsFor: () => ({ insecure: true }) });
    try {
      await assert.rejects(client.registry(registry.host).ping(), (error: unknown) => isOciError(error, 'TLS'));
    } finally {
      await client.close();
    }
  });
});

function runWithInput(command: string, args: string[], input: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, (error, stdout, stderr) =>
      error ? reject(Object.assign(error, { stdout, stderr })) : resolve({ stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}
