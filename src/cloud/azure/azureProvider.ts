import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import { errorMessage } from '../../text/format';
import { ProviderError, type CloudProvider, type RegistryLogin } from '../provider';
import { acrScopeFor } from './audience';
import { exchangeForRefreshToken } from './acrExchange';
import { defaultAzureTokenSource, type EntraTokenSource } from './entraTokenSource';
import { expiryOf, tenantOf } from './jwtClaims';

export interface AzureProviderOptions {
  /** The Entra ID token's origin; the standard Azure credential chain by default. */
  tokenSource?: EntraTokenSource;
  /** A PEM file of extra CAs the registry's TLS is trusted with (its caFile, --ca-file), also for its /oauth2/exchange. */
  caFileFor?: (registry: string) => string | undefined;
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
  private readonly pools = new Map<string, Agent>();

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
      dispatcher: this.dispatcherFor(registry),
      signal,
    });
    return { credential: { username: ACR_TOKEN_USERNAME, identityToken: refreshToken }, expiresAt: expiryOf(refreshToken) };
  }

  /** undici's global pool, unless the registry has a CA of its own; a CA file that cannot be read fails the exchange step. */
  private dispatcherFor(registry: string): Agent | undefined {
    const caFile = this.options.caFileFor?.(registry);
    if (!caFile) return undefined;
    let pool = this.pools.get(`${registry}|${caFile}`);
    if (!pool) {
      let ca: string;
      try {
        ca = readFileSync(caFile, 'utf8');
      } catch (error) {
        throw new ProviderError(
          'azure',
          'exchange',
          `Could not read the CA file ${caFile} of ${registry}: ${errorMessage(error)}`,
          'Fix the caFile of the registry (--ca-file in the CLI)',
          {
            cause: error,
          },
        );
      }
      pool = new Agent({ connect: { ca: [...rootCertificates, ca] } });
      this.pools.set(`${registry}|${caFile}`, pool);
    }
    return pool;
  }
}
