import { startLoopbackServer } from './loopbackServer';

export interface EcrEndpointOptions {
  /** The password of each new token (a cloud registry's token rotation is the test's to drive). */
  issue(): string;
  /** Seconds until each token expires (ECR: 12 hours). */
  expiresInSeconds?: number;
  /** The access key the double accepts, as AWS accepts only keys it knows. */
  accessKeyId: string;
  /** Answer every call with this AWS error instead (`__type` as AWS's JSON 1.1 protocol writes it). */
  fail?: { type: string; message: string; status: number };
}

export interface RunningEcrEndpoint {
  url: string;
  /** The X-Amz-Target and credential scope of each call. */
  calls: { target: string; scope: string }[];
  fail(error: EcrEndpointOptions['fail']): void;
  stop(): Promise<void>;
}

/**
 * Amazon ECR's and ECR Public's GetAuthorizationToken as the AWS SDK calls them: a signed POST in
 * the AWS JSON 1.1 protocol (`X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken`
 * or `SpencerFrontendService.GetAuthorizationToken`), answering base64 `AWS:<password>` with an
 * expiry in epoch seconds. The SDK reaches it through AWS_ENDPOINT_URL_ECR(_PUBLIC).
 */
export async function startEcrEndpoint(options: EcrEndpointOptions): Promise<RunningEcrEndpoint> {
  const calls: RunningEcrEndpoint['calls'] = [];
  let failure = options.fail;
  const json = (status: number, body: unknown) => ({ status, body, headers: { 'content-type': 'application/x-amz-json-1.1' } });
  const server = await startLoopbackServer((req) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const authorization = String(req.headers.authorization ?? '');
    // AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, SignedHeaders=…, Signature=…
    const scope = /Credential=([^,]+)/.exec(authorization)?.[1] ?? '';
    calls.push({ target, scope });
    if (req.method !== 'POST' || !target.endsWith('.GetAuthorizationToken')) {
      return json(400, { __type: 'UnknownOperationException', message: `unexpected ${req.method} ${target}` });
    }
    if (!authorization.startsWith('AWS4-HMAC-SHA256 ') || scope.split('/')[0] !== options.accessKeyId) {
      return json(400, { __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
    }
    if (failure) return json(failure.status, { __type: failure.type, message: failure.message });
    const token = Buffer.from(`AWS:${options.issue()}`).toString('base64');
    const data = { authorizationToken: token, expiresAt: Math.floor(Date.now() / 1000) + (options.expiresInSeconds ?? 12 * 3600) };
    return json(
      200,
      target.startsWith('SpencerFrontendService.')
        ? { authorizationData: data }
        : { authorizationData: [{ ...data, proxyEndpoint: 'https://ecr.invalid' }] },
    );
  });
  return {
    url: `http://${server.host}`,
    calls,
    fail: (error) => (failure = error),
    stop: () => server.stop(),
  };
}
