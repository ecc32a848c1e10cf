import { startLoopbackServer } from './loopbackServer';

export interface GoogleEndpointsOptions {
  /** The access token of each new grant (the test drives the registry's rotation). */
  issue(): string;
  expiresInSeconds?: number;
  /** The subject token a workload identity federation exchange must present. */
  subjectToken: string;
}

export interface RunningGoogleEndpoints {
  /** Where credentials files point `token_url`. */
  stsUrl: string;
  /** GCE_METADATA_HOST: host and port of the metadata server. */
  metadataHost: string;
  /** Each request's path and the form or headers that matter. */
  calls: { path: string; grantType?: string; audience?: string; scope?: string }[];
  /** Answer token requests with this OAuth2 error (HTTP 400) instead. */
  refuse(error: { error: string; error_description: string } | undefined): void;
  stop(): Promise<void>;
}

/**
 * Google's token services as google-auth-library calls them: the STS token exchange of workload
 * identity federation (RFC 8693 form POST to the credentials file's `token_url`) and the metadata
 * server's `/computeMetadata/v1/instance/service-accounts/default/token` (with `Metadata-Flavor:
 * Google`, reached through GCE_METADATA_HOST). Both answer `{access_token, expires_in}`.
 */
export async function startGoogleEndpoints(options: GoogleEndpointsOptions): Promise<RunningGoogleEndpoints> {
  const calls: RunningGoogleEndpoints['calls'] = [];
  let refusal: { error: string; error_description: string } | undefined;
  const reply = (status: number, body: unknown) => ({ status, body, headers: { 'metadata-flavor': 'Google' } });
  const grant = () => ({ access_token: options.issue(), expires_in: options.expiresInSeconds ?? 3600, token_type: 'Bearer' });
  const server = await startLoopbackServer((req, body) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'POST' && path === '/v1/token') {
      const form = new URLSearchParams(body);
      const field = (name: string) => form.get(name) ?? undefined;
      calls.push({ path, grantType: field('grant_type'), audience: field('audience'), scope: field('scope') });
      if (refusal) return reply(400, refusal);
      if (field('grant_type') !== 'urn:ietf:params:oauth:grant-type:token-exchange' || field('subject_token') !== options.subjectToken) {
        return reply(400, { error: 'invalid_grant', error_description: 'The subject token is not valid.' });
      }
      return reply(200, { ...grant(), issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' });
    }
    calls.push({ path });
    if (req.method === 'GET' && path === '/computeMetadata/v1/instance/service-accounts/default/token') {
      if (req.headers['metadata-flavor'] !== 'Google') return reply(403, { error: 'missing Metadata-Flavor header' });
      return refusal ? reply(400, refusal) : reply(200, grant());
    }
    return reply(404, { error: 'not_found' });
  });
  return {
    stsUrl: `http://${server.host}/v1/token`,
    metadataHost: server.host,
    calls,
    refuse: (error) => (refusal = error),
    stop: () => server.stop(),
  };
}
