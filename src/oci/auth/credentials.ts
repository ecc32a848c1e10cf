/** What a user signs in with. Exactly one shape is meaningful at a time. */
export interface Credential {
  username?: string;
  password?: string;
  /** An OAuth2 refresh token (Docker's `identitytoken`), exchanged at the token endpoint. */
  identityToken?: string;
  /** A bearer token sent as-is (Docker's `registrytoken`). */
  registryToken?: string;
}

/** Supplies credentials per registry host. The VS Code layer backs one with SecretStorage. */
export interface CredentialProvider {
  get(registry: string, signal?: AbortSignal): Promise<Credential | undefined>;
  /**
   * The registry refused `rejected`, which this provider gave for it: a provider whose credentials
   * expire (a cloud sign-in) drops it so that the next get() signs in afresh. The client then retries
   * once, and only when get() answers with a different credential.
   */
  invalidate?(registry: string, rejected: Credential): void;
}

/** Whether two credentials are the same login (same user and secrets). */
export function sameCredential(a: Credential | undefined, b: Credential | undefined): boolean {
  return (
    a?.username === b?.username &&
    a?.password === b?.password &&
    a?.identityToken === b?.identityToken &&
    a?.registryToken === b?.registryToken
  );
}

export function hasCredential(credential: Credential | undefined): credential is Credential {
  return !!credential && !!(credential.password || credential.identityToken || credential.registryToken);
}

/** Asks each provider in turn; the first that knows the registry wins. */
export class ChainedCredentials implements CredentialProvider {
  constructor(private readonly providers: CredentialProvider[]) {}

  async get(registry: string, signal?: AbortSignal): Promise<Credential | undefined> {
    for (const provider of this.providers) {
      const credential = await provider.get(registry, signal);
      if (hasCredential(credential)) return credential;
    }
    return undefined;
  }

  invalidate(registry: string, rejected: Credential): void {
    for (const provider of this.providers) provider.invalidate?.(registry, rejected);
  }
}

/** Fixed credentials for one registry (the CLI's --username/--password-stdin). */
export class StaticCredentials implements CredentialProvider {
  constructor(
    private readonly registry: string,
    private readonly credential: Credential,
  ) {}

  async get(registry: string): Promise<Credential | undefined> {
    return registry === this.registry ? this.credential : undefined;
  }
}
