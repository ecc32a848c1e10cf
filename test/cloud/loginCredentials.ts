import type { CredentialProvider } from '../../src/oci';
import type { CloudProvider, RegistryLogin } from '../../src/cloud/provider';

/**
 * The least a CredentialProvider over one CloudProvider must do for these tests: keep a login
 * until a second before it expires, then sign in again. Every login is recorded so a test can show
 * that no token ever left the process except towards its own registry.
 */
export function loginCredentials(provider: CloudProvider, logins: RegistryLogin[] = []): CredentialProvider {
  const current = new Map<string, RegistryLogin>();
  return {
    async get(registry, signal) {
      const held = current.get(registry);
      if (held && (!held.expiresAt || held.expiresAt.getTime() - 1_000 > Date.now())) return held.credential;
      const login = await provider.login(registry, signal);
      logins.push(login);
      current.set(registry, login);
      return login.credential;
    },
  };
}
