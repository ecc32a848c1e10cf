import type { DefaultAzureCredentialClientIdOptions, TokenCredential } from '@azure/identity';

/** An Entra ID access token for one scope, and the tenant that issued it when the source knows. */
export interface EntraToken {
  token: string;
  tenantId?: string;
}

/**
 * Where the Azure provider gets its Entra ID token. The CLI uses the standard Azure credential
 * chain; the editor passes VS Code's Microsoft account instead. `signInHint` is what the user should
 * do when `getToken` fails, in the words of that source.
 */
export interface EntraTokenSource {
  getToken(scope: string, signal?: AbortSignal): Promise<EntraToken>;
  readonly signInHint: string;
}

export const AZURE_CLI_SIGN_IN_HINT =
  'Run `az login` (or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET, or use workload or managed identity), then try again';

/** Options of DefaultAzureCredential a caller may set (tests point it at a loopback authority). */
export type AzureCredentialOptions = DefaultAzureCredentialClientIdOptions;

/** Wraps any @azure/identity credential. */
export function credentialTokenSource(credential: TokenCredential, signInHint = AZURE_CLI_SIGN_IN_HINT): EntraTokenSource {
  return {
    signInHint,
    async getToken(scope, signal) {
      const token = await credential.getToken(scope, { abortSignal: signal });
      if (!token) throw new Error(`the Azure credential returned no token for ${scope}`);
      return { token: token.token };
    },
  };
}

/**
 * The standard Azure chain (environment service principal, workload identity, managed identity,
 * Azure CLI, Azure Developer CLI, PowerShell), as Flux's provider uses it. @azure/identity loads on
 * the first token request, never at start-up, and the credential is kept so MSAL's token cache is.
 */
export function defaultAzureTokenSource(options: AzureCredentialOptions = {}, env: NodeJS.ProcessEnv = process.env): EntraTokenSource {
  let credential: Promise<TokenCredential> | undefined;
  return {
    signInHint: AZURE_CLI_SIGN_IN_HINT,
    async getToken(scope, signal) {
      const settled = { ...(privateAuthority(env.AZURE_AUTHORITY_HOST) ? { disableInstanceDiscovery: true } : {}), ...options };
      credential ??= import('@azure/identity').then(({ DefaultAzureCredential }) => new DefaultAzureCredential(settled));
      return credentialTokenSource(await credential).getToken(scope, signal);
    },
  };
}

/** Microsoft's own Entra ID hosts (@azure/identity AzureAuthorityHosts), which instance discovery knows. */
const MICROSOFT_AUTHORITIES = [
  'login.microsoftonline.com',
  'login.chinacloudapi.cn',
  'login.microsoftonline.us',
  'login.microsoftonline.de',
];

/**
 * True when AZURE_AUTHORITY_HOST names an authority of its own (Azure Stack Hub, AD FS, a private
 * cloud): instance discovery asks login.microsoft.com about it and fails, so, as @azure/identity's
 * `disableInstanceDiscovery` documents for those, it is skipped. The user chose that host.
 */
function privateAuthority(authorityHost: string | undefined): boolean {
  if (!authorityHost) return false;
  try {
    return !MICROSOFT_AUTHORITIES.includes(new URL(authorityHost).hostname.toLowerCase());
  } catch {
    return false;
  }
}
