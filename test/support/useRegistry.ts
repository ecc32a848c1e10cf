import { after, before } from 'node:test';
import { OciClient, type OciClientOptions } from '../../src/oci';
import { startRegistry, type RegistryOptions, type RunningRegistry } from './registry';

/**
 * Starts a registry and a client before the tests of the enclosing describe and stops both after;
 * the returned object holds them once `before` has run.
 */
export function useRegistry(
  options: RegistryOptions = {},
  clientOptions: OciClientOptions = {},
): { registry: RunningRegistry; client: OciClient } {
  const context = {} as { registry: RunningRegistry; client: OciClient };
  before(async () => {
    context.registry = await startRegistry(options);
    context.client = new OciClient(clientOptions);
  });
  after(async () => {
    await context.client?.close();
    await context.registry?.stop();
  });
  return context;
}
