import type { Reference } from './reference/reference';
import { parseRegistryHost } from './reference/host';
import type { ReferrersSupport } from './registry/referrers';
import { RegistryApi } from './registry/registryApi';
import { RepositoryApi } from './registry/repositoryApi';
import { Transport, type TransportOptions } from './transport/transport';

export type OciClientOptions = TransportOptions;

/** The entry point of the OCI core: one connection pool, token cache and auth state per client. */
export class OciClient {
  readonly transport: Transport;
  private readonly referrers = new Map<string, ReferrersSupport>();
  private readonly referrersState = {
    get: (registry: string) => this.referrers.get(registry) ?? 'unknown',
    set: (registry: string, support: ReferrersSupport) => void this.referrers.set(registry, support),
  };

  constructor(options: OciClientOptions = {}) {
    this.transport = new Transport(options);
  }

  registry(host: string): RegistryApi {
    return new RegistryApi(parseRegistryHost(host), this.transport);
  }

  /** The API of one repository. The reference is parsed once where it came in (parseReference); a tag or digest in it is not used here. */
  repository(ref: Pick<Reference, 'registry' | 'repository'>): RepositoryApi {
    return new RepositoryApi(ref.registry, ref.repository, this.transport, this.referrersState);
  }

  /** Drop cached tokens for a registry, e.g. after the user signed in or out. */
  forgetCredentials(registry: string): void {
    this.transport.forgetCredentials(registry);
  }

  /** Applies changed registry settings (CA files, plain HTTP) to the next requests. */
  resetConnections(): Promise<void> {
    return this.transport.resetConnections();
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
