import type { CloudProvider, RegistryLogin } from '../../src/cloud/provider';
import type { Logger } from '../../src/oci';
import { ProviderCredentials } from '../../src/cloud/providerCredentials';

/**
 * The credentials of a client whose registry `host` has `provider` chosen for it (as --provider or
 * a registry's provider setting does), recording every login so a test can count renewals and
 * check that no token reached the output.
 */
export function chosenProvider(provider: CloudProvider, host: string, logins: RegistryLogin[] = []): ProviderCredentials {
  const recording: CloudProvider = {
    name: provider.name,
    displayName: provider.displayName,
    async login(registry, signal) {
      const login = await provider.login(registry, signal);
      logins.push(login);
      return login;
    },
    refused: provider.refused?.bind(provider),
  };
  return new ProviderCredentials({
    choose: (registry) => (registry === host ? { provider: provider.name, chosen: true } : undefined),
    load: async () => recording,
  });
}

/** A client logger that keeps every line, to show that no token reached it. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (message: string) => void lines.push(message);
  return { lines, debug: log, info: log, warn: log, error: log };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
