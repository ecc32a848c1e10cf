import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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
  const server: Server = createServer((req, res) => {
    void read(req).then((body) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const reply = (status: number, answer: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json', 'metadata-flavor': 'Google' });
        res.end(JSON.stringify(answer));
      };
      const grant = () => ({ access_token: options.issue(), expires_in: options.expiresInSeconds ?? 3600, token_type: 'Bearer' });
      if (req.method === 'POST' && path === '/v1/token') {
        const form = new URLSearchParams(body);
        calls.push({
          path,
          grantType: form.get('grant_type') ?? undefined,
          audience: form.get('audience') ?? undefined,
          scope: form.get('scope') ?? undefined,
        });
        if (refusal) return reply(400, refusal);
        if (
          form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:token-exchange' ||
          form.get('subject_token') !== options.subjectToken
        ) {
          return reply(400, { error: 'invalid_grant', error_description: 'The subject token is not valid.' });
        }
        return reply(200, { ...grant(), issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' });
      }
      if (req.method === 'GET' && path.startsWith('/computeMetadata/v1/')) {
        calls.push({ path });
        if (req.headers['metadata-flavor'] !== 'Google') return reply(403, { error: 'missing Metadata-Flavor header' });
        if (path === '/computeMetadata/v1/instance/service-accounts/default/token') {
          return refusal ? reply(400, refusal) : reply(200, grant());
        }
        return reply(404, {});
      }
      calls.push({ path });
      reply(404, { error: 'not_found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    stsUrl: `http://127.0.0.1:${port}/v1/token`,
    metadataHost: `127.0.0.1:${port}`,
    calls,
    refuse: (error) => (refusal = error),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => resolve(body));
  });
}
