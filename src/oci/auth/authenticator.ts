import { request, type Dispatcher } from 'undici';
import { OciError, isOciError } from '../errors';
import { isLoopbackHost } from '../reference/host';
import type { Logger } from '../logger';
import type { Challenge } from './challenge';
import { hasCredential, sameCredential, type Credential, type CredentialProvider } from './credentials';
import { mayReceiveCredentials, realmRefused } from './realmPolicy';
import { mergeScopes } from './scope';
import { TokenCache } from './tokenCache';
import { errorMessage } from '../../text/format';

export interface AuthenticatorOptions {
  credentials?: CredentialProvider;
  dispatcherFor: (registry: string) => Dispatcher;
  isInsecure: (registry: string) => boolean;
  /** Token-service hosts the user allowed to receive a registry's credentials (see realmPolicy). */
  allowedRealms?: (registry: string) => string[];
  logger: Logger;
  userAgent: string;
  /** OAuth2 client_id sent with refresh-token grants. */
  clientId?: string;
}

interface TokenResponse {
  token?: string;
  access_token?: string;
  expires_in?: number;
}

/**
 * Answers registry challenges: remembers what each registry asked for (Basic or Bearer), and
 * produces the Authorization header for a request's scopes, fetching and caching bearer tokens.
 */
export class Authenticator {
  private readonly challenges = new Map<string, Challenge>();
  private readonly tokens = new TokenCache();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(private readonly options: AuthenticatorOptions) {}

  /** The header to send up front, if the registry's challenge is already known. */
  async authorization(registry: string, scopes: string[], signal?: AbortSignal): Promise<string | undefined> {
    const challenge = this.challenges.get(registry);
    if (!challenge) return undefined;
    const credential = await this.credential(registry, signal);
    if (credential?.registryToken) return `Bearer ${credential.registryToken}`;
    if (challenge.scheme === 'basic') {
      return credential?.password !== undefined ? basic(credential.username ?? '', credential.password) : undefined;
    }
    if (challenge.scheme === 'bearer') {
      return `Bearer ${await this.bearer(registry, challenge, scopes, credential, signal)}`;
    }
    return undefined;
  }

  /**
   * Learns from a 401 to a request that carried `sent` (its Authorization header, if any). Returns
   * true when a retry with new credentials can succeed, false when the client has nothing better to
   * offer (then the 401 is the answer).
   */
  async onUnauthorized(
    registry: string,
    challenges: Challenge[],
    scopes: string[],
    signal?: AbortSignal,
    sent?: string,
  ): Promise<{ retry: boolean; scopes: string[] }> {
    const challenge = challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
    if (!challenge) return { retry: false, scopes };
    this.challenges.set(registry, challenge);
    if (challenge.scheme === 'bearer') {
      // The challenge may ask for more than the client guessed (e.g. a mount's source repository).
      const all = mergeScopes([...scopes, ...(challenge.params.scope ? [challenge.params.scope] : [])]);
      this.tokens.delete(this.tokenKey(registry, challenge, all));
      return { retry: true, scopes: all };
    }
    // Basic: worth a retry only with another login than the one just refused, e.g. a cloud login
    // that expired mid-operation and was renewed, or the first login after an anonymous request.
    const credential = await this.renewed(registry, sent, signal);
    const header = credential?.password !== undefined ? basic(credential.username ?? '', credential.password) : undefined;
    return { retry: header !== undefined && header !== sent, scopes };
  }

  /** Drops what is known of a registry, e.g. after sign-in or sign-out. */
  forget(registry: string): void {
    this.challenges.delete(registry);
    this.tokens.forgetRegistry(registry);
  }

  private async credential(registry: string, signal?: AbortSignal): Promise<Credential | undefined> {
    const credential = await this.options.credentials?.get(registry, signal);
    return hasCredential(credential) ? credential : undefined;
  }

  /**
   * The credential to try after the registry refused `sent`: when `sent` is the current credential's,
   * its provider is told, so one that can renew it (a cloud sign-in) signs in afresh. When another
   * request already renewed it, the current one is the answer.
   */
  private async renewed(registry: string, sent: string | undefined, signal?: AbortSignal): Promise<Credential | undefined> {
    const credential = await this.credential(registry, signal);
    const provider = this.options.credentials;
    if (!credential?.password || !provider?.invalidate || sent !== basic(credential.username ?? '', credential.password)) {
      return credential;
    }
    provider.invalidate(registry, credential);
    return this.credential(registry, signal);
  }

  /**
   * A bearer token for the scopes. When the token service refuses the login behind it (a cloud
   * token that expired during a long listing or copy), the login is renewed once and asked again.
   */
  private async bearer(
    registry: string,
    challenge: Challenge,
    scopes: string[],
    credential: Credential | undefined,
    signal?: AbortSignal,
  ): Promise<string> {
    try {
      return await this.token(registry, challenge, scopes, credential, signal);
    } catch (error) {
      const provider = this.options.credentials;
      if (!credential || !provider?.invalidate || !isOciError(error, 'UNAUTHORIZED')) throw error;
      provider.invalidate(registry, credential);
      const renewed = await this.credential(registry, signal);
      if (!renewed || sameCredential(renewed, credential)) throw error;
      return this.token(registry, challenge, scopes, renewed, signal);
    }
  }

  private tokenKey(registry: string, challenge: Challenge, scopes: string[]): string {
    return `${registry}|${challenge.params.realm ?? ''}|${challenge.params.service ?? ''}|${scopes.join(' ')}`;
  }

  private token(
    registry: string,
    challenge: Challenge,
    requested: string[],
    credential: Credential | undefined,
    signal?: AbortSignal,
  ): Promise<string> {
    const scopes = mergeScopes(requested);
    const key = this.tokenKey(registry, challenge, scopes);
    const cached = this.tokens.get(key);
    if (cached) return Promise.resolve(cached);
    // Parallel requests for the same scopes share one token request.
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.fetchToken(registry, challenge, scopes, credential, signal).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async fetchToken(
    registry: string,
    challenge: Challenge,
    scopes: string[],
    credential: Credential | undefined,
    signal?: AbortSignal,
  ): Promise<string> {
    const realm = this.realmUrl(registry, challenge);
    if (
      (credential?.identityToken || credential?.password !== undefined) &&
      !mayReceiveCredentials(registry, realm, this.options.allowedRealms?.(registry))
    ) {
      throw realmRefused(registry, realm);
    }
    const service = challenge.params.service;
    const dispatcher = this.options.dispatcherFor(registry);
    let response: Dispatcher.ResponseData;
    try {
      if (credential?.identityToken) {
        const form = new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: credential.identityToken,
          client_id: this.options.clientId ?? 'oci-gitops',
        });
        if (service) form.set('service', service);
        if (scopes.length) form.set('scope', scopes.join(' '));
        response = await request(realm, {
          method: 'POST',
          dispatcher,
          signal,
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': this.options.userAgent },
          body: form.toString(),
        });
      } else {
        const url = new URL(realm);
        if (service) url.searchParams.set('service', service);
        for (const scope of scopes) url.searchParams.append('scope', scope);
        const headers: Record<string, string> = { 'user-agent': this.options.userAgent };
        if (credential?.password !== undefined) headers.authorization = basic(credential.username ?? '', credential.password);
        response = await request(url, { method: 'GET', dispatcher, signal, headers });
      }
    } catch (error) {
      if (signal?.aborted) throw new OciError('CANCELLED', 'The operation was cancelled');
      throw new OciError('NETWORK', `Could not reach the token service ${realm.origin} of ${registry}: ${errorMessage(error)}`, {
        registry,
        cause: error,
      });
    }
    const text = await response.body.text();
    this.options.logger.debug(`token ${realm.origin}${realm.pathname} scopes=[${scopes.join(' ')}] → ${response.statusCode}`);
    if (response.statusCode === 401 || response.statusCode === 403) {
      throw new OciError(
        'UNAUTHORIZED',
        `The token service of ${registry} rejected ${credential ? 'the stored credentials' : 'anonymous access'} (HTTP ${response.statusCode})`,
        {
          status: response.statusCode,
          registry,
          hint: credential ? `Sign in to ${registry} again with a valid username and password or token` : `Sign in to ${registry}`,
        },
      );
    }
    if (response.statusCode >= 300) {
      throw new OciError('PROTOCOL', `The token service of ${registry} answered HTTP ${response.statusCode}`, {
        status: response.statusCode,
        registry,
      });
    }
    let body: TokenResponse;
    try {
      body = JSON.parse(text) as TokenResponse;
    } catch {
      throw new OciError('PROTOCOL', `The token service of ${registry} did not answer with JSON`, { registry });
    }
    const token = body.token ?? body.access_token;
    if (!token) throw new OciError('PROTOCOL', `The token service of ${registry} answered without a token`, { registry });
    this.tokens.set(this.tokenKey(registry, challenge, scopes), token, typeof body.expires_in === 'number' ? body.expires_in : 60);
    return token;
  }

  private realmUrl(registry: string, challenge: Challenge): URL {
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm ?? '');
    } catch {
      throw new OciError('PROTOCOL', `${registry} asked for a bearer token but gave no valid realm ("${challenge.params.realm ?? ''}")`, {
        registry,
      });
    }
    const plain = realm.protocol === 'http:';
    if (realm.protocol !== 'https:' && !plain) {
      throw new OciError('PROTOCOL', `${registry} gave a token realm with an unsupported scheme ${realm.protocol}`, { registry });
    }
    // Credentials go in clear over plain HTTP: only towards loopback or a registry marked insecure.
    if (plain && !isLoopbackHost(realm.host) && !this.options.isInsecure(registry)) {
      throw new OciError(
        'INSECURE_REFUSED',
        `${registry} sent its token realm over plain HTTP (${realm.origin}); refusing to send credentials there`,
        {
          registry,
          hint: 'Mark the registry as insecure in the settings only if you trust the network',
        },
      );
    }
    return realm;
  }
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
