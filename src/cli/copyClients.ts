import type { OciClient } from '../oci';
import { clientFromOptions } from './clientFromOptions';
import type { CliIo } from './io';
import type { Options } from './commandLine/flag';
import type { RegistryOptions, registryFlags } from './commandLine/registryFlags';
import { sideOptions, type fromFlags, type SideOptions, type toFlags } from './commandLine/sideFlags';
import { UsageError } from './usage';

/**
 * The clients of a copy: one per side, each with only its own registry's settings and login, so
 * no request to one registry can carry the other's credentials. A --from-/--to- flag overrides
 * the shared one for its side; the shared --username is one login, so it only applies when both
 * sides are one registry. One registry with no side flags shares one client (and its tokens).
 */
export async function copyClients(
  fromRegistry: string,
  toRegistry: string,
  options: Options<[typeof registryFlags, typeof fromFlags, typeof toFlags]>,
  io: CliIo,
): Promise<{ from: OciClient; to: OciClient; close(): Promise<void> }> {
  const fromSide = sideOptions(options, 'from');
  const toSide = sideOptions(options, 'to');
  const sideFlagged = (side: SideOptions) =>
    !!(side.username || side.dockerConfig || side.insecure || side.caFile || side.allowTokenRealms || side.provider);
  if (options.username && (fromSide.username || toSide.username))
    throw new UsageError('--username cannot be combined with --from-username or --to-username');
  if (options.username && fromRegistry !== toRegistry) {
    throw new UsageError(
      `copy signs in to two registries (${fromRegistry} and ${toRegistry}): say whose login this is with --from-username or --to-username`,
    );
  }
  if (options.username && (sideFlagged(fromSide) || sideFlagged(toSide))) {
    throw new UsageError('--username is one login for the one registry of this copy: give its other options without --from-/--to- too');
  }
  if (fromRegistry === toRegistry && !sideFlagged(fromSide) && !sideFlagged(toSide)) {
    const client = await clientFromOptions(fromRegistry, options, io);
    return { from: client, to: client, close: () => client.close() };
  }
  const from = await clientFromOptions(fromRegistry, sideSettings(options, fromSide), io);
  try {
    const to = await clientFromOptions(toRegistry, sideSettings(options, toSide), io);
    return { from, to, close: async () => void (await Promise.all([from.close(), to.close()])) };
  } catch (error) {
    await from.close();
    throw error;
  }
}

function sideSettings(shared: RegistryOptions, side: SideOptions): RegistryOptions {
  return {
    ...shared,
    username: side.username ?? shared.username,
    'password-stdin': side.username ? side.passwordStdin : shared['password-stdin'],
    'docker-config': side.dockerConfig ?? shared['docker-config'],
    insecure: side.insecure || shared.insecure,
    'ca-file': side.caFile ?? shared['ca-file'],
    'allow-token-realm': side.allowTokenRealms ?? shared['allow-token-realm'],
    // A side's own login replaces the shared provider, as it replaces the shared Docker config.
    provider: side.provider ?? (side.username ? undefined : shared.provider),
  };
}
