import { fetch } from 'undici';

/**
 * Stands in for `make-fetch-happen` inside the bundles (esbuild alias): @sigstore/sign only needs a
 * POST or GET with a timeout (it retries on its own). make-fetch-happen goes through Node's http
 * agents, which VS Code replaces in the extension host for proxy support, and there its requests
 * to Fulcio and Rekor never complete. undici keeps its own sockets, like the rest of our HTTP.
 */
export default function sigstoreFetch(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; timeout?: number } = {},
): Promise<Response> {
  return fetch(url, {
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    ...(options.timeout ? { signal: AbortSignal.timeout(options.timeout) } : {}),
  }) as unknown as Promise<Response>;
}
