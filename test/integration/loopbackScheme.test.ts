import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createTcpServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { isOciError, OciClient, parseReference, StaticCredentials, type Logger } from '../../src/oci';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { makeCertificates } from '../support/tls';
import { pushArtifact } from './fixtures';

// Node 22.19 and later; @types/node here predates them.
const { getCACertificates, setDefaultCACertificates } = tls as unknown as {
  getCACertificates(which: 'default'): string[];
  setDefaultCACertificates(certificates: string[]): void;
};

// A loopback registry is asked over plain HTTP first (go-containerregistry's pkg/name
// Registry.Scheme does the same for localhost, 127.0.0.1 and ::1), and again over TLS when its
// answer shows it wants TLS: Go's net/http (Distribution here) answers 400 "Client sent an HTTP
// request to an HTTPS server", and a Node TLS server closes the connection.

/** A TCP relay that records how each connection began: a TLS hello (0x16) or plain text. */
async function startRecordingRelay(port: number): Promise<{ port: number; openings: Buffer[]; stop: () => Promise<void> }> {
  const openings: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createTcpServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.once('data', (first: Buffer) => openings.push(Buffer.from(first)));
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the relay has no port');
  return {
    port: address.port,
    openings,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (message: string) => void lines.push(message);
  return { lines, debug: log, info: log, warn: log, error: log };
}

describe('a plain-HTTP registry on loopback', () => {
  let registry: RunningRegistry;
  before(async () => {
    registry = await startRegistry({ auth: 'none' });
  });
  after(async () => registry?.stop());

  test('is never sent a TLS hello: push, listing and inspection all go over plain HTTP from the start', async () => {
    const relay = await startRecordingRelay(registry.port);
    const client = new OciClient();
    try {
      const repo = client.repository(parseReference(`127.0.0.1:${relay.port}/team/app`));
      await pushArtifact(repo, 'v1', { files: { 'a.yaml': 'a: 1\n' } });
      assert.deepEqual(await repo.tagPage().then((page) => page.items), ['v1']);
      await repo.fetchManifest('v1');
      assert.ok(relay.openings.length > 0);
      assert.deepEqual(relay.openings.filter((opening) => opening[0] === 0x16).length, 0, 'no connection began with a TLS handshake');
    } finally {
      await client.close();
      await relay.stop();
    }
  });
});

describe('a TLS registry on loopback without a CA file setting', () => {
  let registry: RunningRegistry;
  let systemRoots: string[];
  before(async () => {
    registry = await startRegistry({ auth: 'htpasswd', tls: true });
    // Trusted the way a CA installed in the system store is (no caFile in the registry's settings).
    systemRoots = getCACertificates('default');
    setDefaultCACertificates([...systemRoots, readFileSync(registry.caFile!, 'utf8')]);
  });
  after(async () => {
    setDefaultCACertificates(systemRoots);
    await registry?.stop();
  });

  test('is asked again over TLS after Distribution says it wants HTTPS, and works', async () => {
    const logger = recordingLogger();
    const client = new OciClient({ credentials: new StaticCredentials(registry.host, registry.admin), logger });
    try {
      const repo = client.repository(parseReference(`${registry.host}/team/app`));
      await pushArtifact(repo, 'v1', { files: { 'a.yaml': 'a: 1\n' } });
      assert.equal((await repo.fetchManifest('v1')).descriptor.digest.startsWith('sha256:'), true);
      assert.ok(
        logger.lines.some((line) => line.includes(`${registry.host} wants TLS; using HTTPS`)),
        logger.lines.join('\n'),
      );
    } finally {
      await client.close();
    }
  });

  test('requests sent together before the scheme is known all end up over TLS', async () => {
    const client = new OciClient({ credentials: new StaticCredentials(registry.host, registry.admin) });
    try {
      const repo = client.repository(parseReference(`${registry.host}/team/app`));
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => repo.fetchManifest('v1')));
      assert.deepEqual(
        results.map((r) => r.status),
        Array(6).fill('fulfilled'),
      );
    } finally {
      await client.close();
    }
  });

  test('the plain-HTTP guess carries no credentials, even once the challenge is known', async () => {
    const relay = await startRecordingRelay(registry.port);
    const host = `127.0.0.1:${relay.port}`;
    const client = new OciClient({ credentials: new StaticCredentials(host, registry.admin) });
    try {
      await client.registry(host).ping();
      // Forget the scheme, keep the Basic challenge: the next request guesses plain HTTP again.
      await client.resetConnections();
      await client.registry(host).ping();
      const plain = relay.openings.filter((opening) => opening[0] !== 0x16).map((opening) => opening.toString('latin1'));
      assert.equal(plain.length, 2, 'one plain guess before each TLS connection');
      for (const text of plain) assert.doesNotMatch(text, /authorization:/i);
    } finally {
      await client.close();
      await relay.stop();
    }
  });
});

describe('a TLS server on loopback that closes plain-HTTP connections', () => {
  let dir: string;
  let server: tls.Server;
  let port: number;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oci-gitops-tls-'));
    const certs = makeCertificates(dir, 'closing');
    server = tls.createServer({ cert: readFileSync(certs.certFile), key: readFileSync(certs.keyFile) }, (socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () =>
        socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}'),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  test('is asked again over TLS, and its certificate is then checked', async () => {
    const client = new OciClient();
    try {
      await assert.rejects(
        client.registry(`127.0.0.1:${port}`).ping(),
        (error: unknown) => isOciError(error, 'TLS') && /not trusted/.test((error as Error).message),
      );
    } finally {
      await client.close();
    }
  });
});
