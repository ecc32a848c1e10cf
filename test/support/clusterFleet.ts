// A kubeconfig with several contexts served by API doubles, for the cluster tests: two healthy
// clusters (prod-eu with a forbidden namespace, staging reached through an exec plugin whose token
// expires), one whose port refuses connections, and one that accepts and never answers.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from './clusterObjects';
import { kubeconfig, startKubeApiDouble, type KubeApiDouble } from './kubeApiDouble';

export interface Fleet {
  dir: string;
  kubeconfigFile: string;
  prod: KubeApiDouble;
  staging: KubeApiDouble;
  /** How many times the exec plugin of staging has run. */
  execRuns(): number;
  stop(): Promise<void>;
}

export interface FleetOptions {
  prod: KubeObject[];
  staging: KubeObject[];
  /** Lifetime of the exec plugin's tokens (default one hour). */
  tokenSeconds?: number;
  /** Add the unreachable contexts (refused and silent). */
  unreachable?: boolean;
}

/**
 * The exec credential plugin of staging: a Node script printing a client.authentication.k8s.io/v1
 * ExecCredential whose token carries its own expiry, so the double can refuse it once expired.
 */
const PLUGIN = `
const { readFileSync, writeFileSync } = require('node:fs');
const counter = process.argv[2];
const seconds = Number(process.argv[3]);
let runs = 0;
try { runs = Number(readFileSync(counter, 'utf8')); } catch {}
writeFileSync(counter, String(runs + 1));
const expires = Date.now() + seconds * 1000;
process.stdout.write(JSON.stringify({
  apiVersion: 'client.authentication.k8s.io/v1',
  kind: 'ExecCredential',
  status: { token: 'exec-' + (runs + 1) + '-' + expires, expirationTimestamp: new Date(expires).toISOString() },
}));
`;

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const dir = mkdtempSync(join(tmpdir(), 'oci-gitops-fleet-'));
  const counter = join(dir, 'exec-runs');
  writeFileSync(counter, '0');
  const plugin = join(dir, 'token-plugin.cjs');
  writeFileSync(plugin, PLUGIN);
  chmodSync(plugin, 0o755);
  const prod = await startKubeApiDouble({ name: 'prod-eu', dir, objects: options.prod, forbiddenNamespaces: ['payments'] });
  const staging = await startKubeApiDouble({
    name: 'staging',
    dir,
    objects: options.staging,
    acceptToken: (token) => {
      const expires = Number(/^exec-\d+-(\d+)$/.exec(token)?.[1]);
      return expires > Date.now();
    },
  });
  const contexts = [
    { name: 'prod-eu', server: prod.url, caFile: prod.caFile, token: prod.token },
    {
      name: 'staging',
      server: staging.url,
      caFile: staging.caFile,
      exec: { command: process.execPath, args: [plugin, counter, String(options.tokenSeconds ?? 3600)] },
    },
  ];
  const extra: Server[] = [];
  const sockets = new Set<Socket>();
  if (options.unreachable) {
    const refused = await startKubeApiDouble({ name: 'gone', dir });
    await refused.stop();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    extra.push(silent);
    const silentPort = (silent.address() as { port: number }).port;
    contexts.push(
      { name: 'decommissioned', server: refused.url, caFile: refused.caFile, token: refused.token },
      { name: 'blackhole', server: `https://127.0.0.1:${silentPort}`, caFile: prod.caFile, token: 'never-checked' },
    );
  }
  const kubeconfigFile = join(dir, 'config');
  writeFileSync(kubeconfigFile, kubeconfig(contexts, 'prod-eu'));
  return {
    dir,
    kubeconfigFile,
    prod,
    staging,
    execRuns: () => Number(readFileSync(counter, 'utf8')),
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all([prod.stop(), staging.stop(), ...extra.map((s) => new Promise<void>((r) => s.close(() => r())))]);
    },
  };
}
