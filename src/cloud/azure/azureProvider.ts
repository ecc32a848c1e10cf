import type { Dispatcher } from 'undici';
import { errorMessage } from '../../text/format';
import { ProviderError, type CloudProvider, type RegistryLogin } from '../provider';
import { acrScopeFor } from './audience';
import { exchangeForRefreshToken } from './acrExchange';
import { defaultAzureTokenSource, type EntraTokenSource } from './entraTokenSource';
import { expiryOf, tenantOf } from './jwtClaims';

export interface AzureProviderOptions {
  /** The Entra ID token's origin; the standard Azure credential chain by default. */
  tokenSource?: EntraTokenSource;
  /** The connection pool for a registry's /oauth2/exchange (its CA settings); undici's global one by default. */
  dispatcherFor?: (registry: string) => Dispatcher | undefined;
}

/** ACR's documented user name for a refresh token used as a password (`az acr login --expose-token`). */
export const ACR_TOKEN_USERNAME = '00000000-0000-0000-0000-000000000000';

/**
 * Azure Container Registry sign-in: an Entra ID token for the registry's audience, exchanged at
 * the registry for an ACR refresh token. The refresh token becomes the credential's identity token,
 * which the OCI client's authenticator trades at the registry's realm for per-scope access tokens
 * (grant_type=refresh_token), as Azure/acr docs/AAD-OAuth.md describes.
 */
export class AzureProvider implements CloudProvider {
  readonly name = 'azure' as const;
  readonly displayName = 'Azure (Azure Container Registry)';
  private readonly tokenSource: EntraTokenSource;

  constructor(private readonly options: AzureProviderOptions = {}) {
    this.tokenSource = options.tokenSource ?? defaultAzureTokenSource();
  }

  async login(registry: string, signal?: AbortSignal): Promise<RegistryLogin> {
    const scope = acrScopeFor(registry);
    let entra: { token: string; tenantId?: string };
    try {
      entra = await this.tokenSource.getToken(scope, signal);
    } catch (error) {
      throw new ProviderError(
        'azure',
        'credentials',
        `Could not get an Entra ID token (scope ${scope}) for ${registry}: ${errorMessage(error)}`,
        this.tokenSource.signInHint,
        { cause: error },
      );
    }
    const refreshToken = await exchangeForRefreshToken({
      registry,
      entraToken: entra.token,
      tenantId: entra.tenantId ?? tenantOf(entra.token),
      dispatcher: this.options.dispatcherFor?.(registry),
      signal,
    });
    return { credential: { username: ACR_TOKEN_USERNAME, identityToken: refreshToken }, expiresAt: expiryOf(refreshToken) };
  }
}
