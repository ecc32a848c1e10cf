import type { Credential } from '../oci';

// The contract between a cloud registry's sign-in and the OCI client. A provider turns the user's
// cloud identity (an AWS profile, an Entra ID login, Application Default Credentials, a GitHub
// account) into a registry credential with an expiry; src/cloud/providerCredentials.ts caches it per
// registry host and renews it before it expires, so the OCI client only ever sees a
// CredentialProvider. Flux does the same in fluxcd/pkg auth/{aws,azure,gcp}.

/** The providers a user can name (`--provider`, a registry's `provider` setting). */
export const PROVIDER_NAMES = ['aws', 'azure', 'gcp', 'github'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export function isProviderName(value: string): value is ProviderName {
  return (PROVIDER_NAMES as readonly string[]).includes(value);
}

/** What a provider hands the registry client, and until when it holds. */
export interface RegistryLogin {
  credential: Credential;
  /** When the credential stops working; undefined when the provider cannot tell (then it is renewed after a short default). */
  expiresAt?: Date;
}

/** Where a provider failed, so the message can name the step and the fix. */
export type ProviderStep =
  | 'credentials' // the cloud identity itself (no profile, expired SSO session, no ADC)
  | 'exchange' // the registry-specific exchange (ECR GetAuthorizationToken, ACR /oauth2/exchange)
  | 'registry'; // the registry refused what the exchange produced

export class ProviderError extends Error {
  constructor(
    readonly provider: ProviderName,
    readonly step: ProviderStep,
    message: string,
    /** What the user should do, e.g. "run `aws sso login --profile dev`". */
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProviderError';
  }
}

/**
 * One cloud's sign-in. `login` is called for one registry host at a time and must never return a
 * credential meant for another host; the cache decides when to call it again.
 */
export interface CloudProvider {
  readonly name: ProviderName;
  /** For messages and pickers: "AWS (Amazon ECR)". */
  readonly displayName: string;
  login(registry: string, signal?: AbortSignal): Promise<RegistryLogin>;
  /**
   * What to tell the user when the registry refused a login and signing in again gave the same one
   * (a revoked GitHub token in GITHUB_TOKEN): the 'registry' step, in this provider's words.
   */
  refused?(registry: string): ProviderError;
}
