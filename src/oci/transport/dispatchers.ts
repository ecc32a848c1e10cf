import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, type Dispatcher } from 'undici';
import { OciError } from '../errors';
import { errorMessage } from '../../text/format';

export interface RegistrySettings {
  /** Allow plain HTTP (and fall back to it when the registry does not speak TLS). */
  insecure?: boolean;
  /** A PEM file of extra CA certificates trusted for this registry, beside the system ones. */
  caFile?: string;
  /** Token-service hosts, besides the registry's own, allowed to receive its credentials. */
  tokenRealms?: string[];
}

export interface DispatcherTimeouts {
  connectMs: number;
  /** Longest wait for response headers, and longest silence while a body streams. */
  idleMs: number;
}

/** Requests in flight to one registry at once; the callers that fan out (pull, the tree) stay within it. */
const MAX_CONNECTIONS_PER_REGISTRY = 32;

/** One connection pool per registry, so a registry's CA is trusted for it alone. */
export class Dispatchers {
  private readonly pools = new Map<string, Agent>();

  constructor(
    private readonly settingsFor: (registry: string) => RegistrySettings,
    private readonly timeouts: DispatcherTimeouts,
  ) {}

  for(registry: string): Dispatcher {
    let pool = this.pools.get(registry);
    if (!pool) {
      pool = this.create(registry);
      this.pools.set(registry, pool);
    }
    return pool;
  }

  /**
   * Closes every pool. A graceful close waits for requests still in flight, which never end if a
   * caller abandoned a response body; after a short grace the pools are destroyed instead, so
   * closing a client can never hang.
   */
  async close(graceMs = 1_000): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(
      pools.map(async (pool) => {
        let timer: NodeJS.Timeout | undefined;
        const graceful = await Promise.race([
          pool.close().then(
            () => true,
            () => true,
          ),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(false), graceMs);
          }),
        ]);
        clearTimeout(timer);
        if (!graceful) await pool.destroy().catch(() => undefined);
      }),
    );
  }

  private create(registry: string): Agent {
    const settings = this.settingsFor(registry);
    let ca: string[] | undefined;
    if (settings.caFile) {
      try {
        ca = [...rootCertificates, readFileSync(settings.caFile, 'utf8')];
      } catch (error) {
        throw new OciError('TLS', `Could not read the CA file ${settings.caFile} configured for ${registry}: ${errorMessage(error)}`, {
          registry,
          hint: 'Fix the caFile path in the registry settings',
        });
      }
    }
    return new Agent({
      connect: { timeout: this.timeouts.connectMs, ...(ca ? { ca } : {}) },
      headersTimeout: this.timeouts.idleMs,
      bodyTimeout: this.timeouts.idleMs,
      keepAliveTimeout: 10_000,
      // HTTP/1.1 sends one request per connection at a time: requests that do not depend on each
      // other (the files of a pull, a page of tag summaries) go out in one round only if there are
      // connections for them. Kept alive, so a command pays each connection's set-up once.
      connections: MAX_CONNECTIONS_PER_REGISTRY,
    });
  }
}
