import type { OciClient } from '../oci';
import { clientFromOptions } from './clientFromOptions';
import type { CliIo } from './io';
import type { CommonOptions, SideOptions } from './options';
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
  options: CommonOptions,
  io: CliIo,
): Promise<{ from: OciClient; to: OciClient; close(): Promise<void> }> {
  const sideFlagged = (side: SideOptions) =>
    !!(side.username || side.dockerConfig || side.insecure || side.caFile || side.allowTokenRealms);
  if (options.username && (options.from.username || options.to.username))
    throw new UsageError('--username cannot be combined with --from-username or --to-username');
  if (options.username && fromRegistry !== toRegistry) {
    throw new UsageError(
      `copy signs in to two registries (${fromRegistry} and ${toRegistry}): say whose login this is with --from-username or --to-username`,
    );
  }
  if (options.username && (sideFlagged(options.from) || sideFlagged(options.to))) {
    throw new UsageError('--username is one login for the one registry of this copy: give its other options without --from-/--to- too');
  }
  if (fromRegistry === toRegistry && !sideFlagged(options.from) && !sideFlagged(options.to)) {
    const client = await clientFromOptions(fromRegistry, options, io);
    return { from: client, to: client, close: () => client.close() };
  }
  const from = await clientFromOptions(fromRegistry, sideSettings(options, options.from), io);
  try {
    const to = await clientFromOptions(toRegistry, sideSettings(options, options.to), io);
    return { from, to, close: async () => void (await Promise.all([from.close(), to.close()])) };
  } catch (error) {
    await from.close();
    throw error;
  }
}

function sideSettings(shared: CommonOptions, side: SideOptions): CommonOptions {
  return {
    ...shared,
    username: side.username ?? shared.username,
    passwordStdin: side.username ? side.passwordStdin : shared.passwordStdin,
    dockerConfig: side.dockerConfig ?? shared.dockerConfig,
    insecure: side.insecure || shared.insecure,
    caFile: side.caFile ?? shared.caFile,
    allowTokenRealms: side.allowTokenRealms ?? shared.allowTokenRealms,
  };
}
