import { sameCredential, type Credential, type CredentialProvider } from '../oci';
import { ProviderError, type CloudProvider, type ProviderName, type RegistryLogin } from './provider';
import { PROVIDER_LABELS, signInFailure } from './providerErrors';

/** Which provider signs in to a registry, and whether the user named it or the host suggested it. */
export interface ProviderChoice {
  provider: ProviderName;
  /** Named by the user (--provider, a registry's setting): its failures are the operation's. */
  chosen: boolean;
}

export interface ProviderCredentialsOptions {
  /** The provider for a registry host, or undefined when no cloud signs in to it. */
  choose(registry: string): ProviderChoice | undefined;
  /** The provider itself, loaded on first use (src/cloud/providers.ts). */
  load(name: ProviderName): Promise<CloudProvider>;
  /** Told when a recognised (not chosen) provider could not sign in, and the registry is tried anonymously. */
  warn?(message: string): void;
  now?: () => number;
}

/** A login is renewed this long before it expires at most (a tenth of its life when that is shorter). */
const RENEW_MARGIN_MS = 5 * 60_000;
/** How long a login whose expiry the provider cannot tell is used before signing in again. */
const UNKNOWN_LIFETIME_MS = 10 * 60_000;
/** How long a recognised provider that failed is left alone before it is asked again. */
const FAILED_RETRY_MS = 5 * 60_000;

interface CachedLogin {
  /** undefined: the recognised provider failed, the registry is tried anonymously meanwhile. */
  credential: Credential | undefined;
  renewAt: number;
}

/**
 * Registry credentials from cloud sign-ins. Each host has its own login, asked of its provider for
 * that host only, cached until shortly before it expires, shared by concurrent callers and renewed
 * transparently; a login the registry refuses (invalidate) is dropped so the next get() renews it.
 * Tokens live only in this object's memory.
 */
export class ProviderCredentials implements CredentialProvider {
  private readonly logins = new Map<string, CachedLogin>();
  private readonly pending = new Map<string, Promise<CachedLogin>>();
  /** The login a registry last refused, until the next sign-in shows whether it changed. */
  private readonly refused = new Map<string, Credential>();
  private readonly now: () => number;

  constructor(private readonly options: ProviderCredentialsOptions) {
    this.now = options.now ?? Date.now;
  }

  async get(registry: string, signal?: AbortSignal): Promise<Credential | undefined> {
    const choice = this.options.choose(registry);
    if (!choice) return undefined;
    const cached = this.logins.get(registry);
    if (cached && cached.renewAt > this.now()) return cached.credential;
    let pending = this.pending.get(registry);
    if (!pending) {
      pending = this.signIn(registry, choice).finally(() => this.pending.delete(registry));
      this.pending.set(registry, pending);
    }
    return (await whenNotAborted(pending, signal)).credential;
  }

  invalidate(registry: string, rejected: Credential): void {
    const cached = this.logins.get(registry);
    if (cached?.credential && sameCredential(cached.credential, rejected)) {
      this.logins.delete(registry);
      this.refused.set(registry, rejected);
    }
  }

  /** The provider whose login serves a registry now; undefined when no cloud signed in to it. */
  signedInWith(registry: string): ProviderName | undefined {
    if (!this.logins.get(registry)?.credential) return undefined;
    return this.options.choose(registry)?.provider;
  }

  /** Drops a registry's login, e.g. when the user changes its provider or signs out. */
  forget(registry: string): void {
    this.logins.delete(registry);
  }

  private async signIn(registry: string, choice: ProviderChoice): Promise<CachedLogin> {
    let entry: CachedLogin;
    try {
      // The shared sign-in is not tied to one caller's signal: another caller may still want it.
      const provider = await this.options.load(choice.provider);
      const login = await provider.login(registry);
      const refused = this.refused.get(registry);
      this.refused.delete(registry);
      // Signing in again gave what the registry just refused: only the user can fix that.
      if (refused && sameCredential(refused, login.credential))
        throw provider.refused?.(registry) ?? sameLoginRefused(choice.provider, registry);
      entry = { credential: login.credential, renewAt: this.renewAt(login) };
    } catch (error) {
      const failure = signInFailure(choice.provider, registry, error);
      if (choice.chosen) throw failure;
      this.options.warn?.(`${failure.message} (trying ${registry} without a cloud sign-in)`);
      entry = { credential: undefined, renewAt: this.now() + FAILED_RETRY_MS };
    }
    this.logins.set(registry, entry);
    return entry;
  }

  private renewAt(login: RegistryLogin): number {
    const now = this.now();
    if (!login.expiresAt) return now + UNKNOWN_LIFETIME_MS;
    const expires = login.expiresAt.getTime();
    const life = Math.max(0, expires - now);
    return expires - Math.min(RENEW_MARGIN_MS, life / 10);
  }
}

function sameLoginRefused(provider: ProviderName, registry: string): ProviderError {
  const label = PROVIDER_LABELS[provider];
  return new ProviderError(
    provider,
    'registry',
    `${registry} refused the ${label} login, and signing in again gave the same one`,
    `Check that the ${label} identity signed in on this machine may use ${registry}`,
  );
}

/** The shared sign-in's answer, or this caller's cancellation, whichever comes first. */
function whenNotAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}
