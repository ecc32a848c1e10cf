import { request, type Dispatcher } from 'undici';
import { errorMessage } from '../../text/format';
import { ProviderError } from '../provider';

export interface ExchangeRequest {
  registry: string;
  entraToken: string;
  tenantId?: string;
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
}

/**
 * Trades an Entra ID access token for an ACR refresh token at the registry's own
 * `/oauth2/exchange` (Azure/acr docs/AAD-OAuth.md: form grant_type=access_token, service, tenant,
 * access_token → {"refresh_token"}). The Entra ID token goes only to the registry it was asked for,
 * and only over TLS.
 */
export async function exchangeForRefreshToken(exchange: ExchangeRequest): Promise<string> {
  const { registry } = exchange;
  const form = new URLSearchParams({
    grant_type: 'access_token',
    service: registry.replace(/:\d+$/, ''),
    access_token: exchange.entraToken,
  });
  if (exchange.tenantId) form.set('tenant', exchange.tenantId);
  const url = `https://${registry}/oauth2/exchange`;
  let status: number;
  let text: string;
  try {
    const response = await request(url, {
      method: 'POST',
      dispatcher: exchange.dispatcher,
      signal: exchange.signal,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    status = response.statusCode;
    text = await response.body.text();
  } catch (error) {
    throw new ProviderError(
      'azure',
      'exchange',
      `Could not reach ${url} to exchange the Entra ID token for a registry token: ${errorMessage(error)}`,
      `Check that ${registry} is an Azure Container Registry and is reachable from here`,
      { cause: error },
    );
  }
  if (status === 401 || status === 403) {
    throw new ProviderError(
      'azure',
      'exchange',
      `${registry} refused the Entra ID token at /oauth2/exchange (HTTP ${status})${acrMessage(text)}`,
      `Check that the signed-in identity has a role on ${registry} (AcrPull to read, AcrPush to push) and belongs to its tenant: \`az login --tenant <tenant>\``,
    );
  }
  if (status !== 200) {
    throw new ProviderError(
      'azure',
      'exchange',
      `${registry} answered HTTP ${status} at /oauth2/exchange${acrMessage(text)}`,
      `Check that ${registry} is an Azure Container Registry (or choose another provider for it)`,
    );
  }
  let refreshToken: unknown;
  try {
    refreshToken = (JSON.parse(text) as { refresh_token?: unknown }).refresh_token;
  } catch {
    refreshToken = undefined;
  }
  if (typeof refreshToken !== 'string' || !refreshToken) {
    throw new ProviderError(
      'azure',
      'exchange',
      `${registry} answered /oauth2/exchange without a refresh token`,
      `Check that ${registry} is an Azure Container Registry (or choose another provider for it)`,
    );
  }
  return refreshToken;
}

/** ACR's error body, shortened; it names the cause (wrong tenant, no permission) but never a token. */
function acrMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { errors?: { message?: unknown }[]; message?: unknown };
    const message = body.errors?.[0]?.message ?? body.message;
    return typeof message === 'string' && message ? `: ${message.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}
