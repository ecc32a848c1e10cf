import type { CloudProvider, ProviderName } from '../../src/cloud/provider';
import { ProviderCredentials } from '../../src/cloud/providerCredentials';
import { OciClient, StaticCredentials, parseReference, type Logger } from '../../src/oci';
import { pushArtifact } from '../integration/fixtures';
import type { RunningRegistry } from './registry';

/** A client that signs in to every registry through this provider only, logging into `log`. */
export function providerClient(name: ProviderName, provider: () => Promise<CloudProvider>, log: string[] = []): OciClient {
  const write = (message: string) => void log.push(message);
  const logger: Logger = { debug: write, info: write, warn: write, error: write };
  return new OciClient({
    credentials: new ProviderCredentials({ choose: () => ({ provider: name, chosen: true }), load: provider }),
    logger,
  });
}

/** One small artifact in each repository, pushed with the registry's admin login. */
export async function seedRepositories(registry: RunningRegistry, names: string[]): Promise<void> {
  const seeding = new OciClient({ credentials: new StaticCredentials(registry.host, registry.admin) });
  for (const name of names) await pushArtifact(seeding.repository(parseReference(`${registry.host}/${name}`)), '1.0.0');
  await seeding.close();
}

/**
 * Lists the registry's repositories page by page (Distribution 2.8 pages its catalog, not its tag
 * lists), calling `expire` once the first page is in: the login the client holds stops working.
 */
export async function listAcrossExpiry(
  client: OciClient,
  registry: RunningRegistry,
  pageSize: number,
  expire: () => Promise<void> | void,
): Promise<string[]> {
  const listed: string[] = [];
  for await (const name of client.registry(registry.host).repositories({ pageSize })) {
    listed.push(name);
    if (listed.length === pageSize) await expire();
  }
  return listed;
}
