import { CATALOG_SCOPE } from '../auth/scope';
import { isOciError, OciError } from '../errors';
import type { Transport } from '../transport/transport';
import { readLimited } from '../transport/transport';
import { allPages, nextCursor, validateCursor, type Page, type PageOptions } from './paging';

const CATALOG_PATH = '/v2/_catalog';

/** Registry-wide operations: the API check and the (optional, non-OCI) catalog. */
export class RegistryApi {
  constructor(
    readonly host: string,
    private readonly transport: Transport,
  ) {}

  /** Checks the registry answers the v2 API (and that credentials, if any, are accepted). */
  async ping(options: { signal?: AbortSignal } = {}): Promise<void> {
    const response = await this.transport.request({
      registry: this.host,
      method: 'GET',
      target: '/v2/',
      scopes: [],
      signal: options.signal,
      site: { registry: this.host, action: 'reach the registry API' },
    });
    await response.body.dump();
  }

  async repositoryPage(options: PageOptions = {}): Promise<Page<string>> {
    const target = options.cursor ? validateCursor(options.cursor, CATALOG_PATH) : CATALOG_PATH;
    const query = options.cursor ? undefined : { n: options.pageSize === undefined ? undefined : String(options.pageSize) };
    let response;
    try {
      response = await this.transport.request({
        registry: this.host,
        method: 'GET',
        target,
        query,
        scopes: [CATALOG_SCOPE],
        signal: options.signal,
        accept: [404, 405],
        site: { registry: this.host, action: 'list repositories' },
      });
    } catch (error) {
      if (isOciError(error, 'UNAUTHORIZED') || isOciError(error, 'DENIED') || isOciError(error, 'UNSUPPORTED')) {
        throw new OciError('CATALOG_UNSUPPORTED', `${this.host} does not let this account list its repositories (${error.code})`, {
          status: error.status,
          registry: this.host,
          hint:
            error.code === 'UNAUTHORIZED'
              ? 'Sign in if the registry lists repositories to signed-in users; otherwise add repositories by name'
              : 'This registry does not list repositories; add them by name',
        });
      }
      throw error;
    }
    if (response.status === 404 || response.status === 405) {
      await response.body.dump();
      throw new OciError('CATALOG_UNSUPPORTED', `${this.host} does not list repositories (HTTP ${response.status} on the catalog)`, {
        status: response.status,
        registry: this.host,
        hint: 'This registry does not list repositories; add them by name',
      });
    }
    const body = parseJson<{ repositories?: unknown }>(
      (await readLimited(response, 16 * 1024 * 1024, `catalog of ${this.host}`)).toString('utf8'),
      this.host,
      'catalog',
    );
    const items = Array.isArray(body.repositories) ? body.repositories.filter((r): r is string => typeof r === 'string') : [];
    return { items, next: nextCursor(response, CATALOG_PATH, items, options.pageSize) };
  }

  /** Every repository, following every page. */
  repositories(options: { pageSize?: number; signal?: AbortSignal } = {}): AsyncGenerator<string> {
    return allPages((cursor, signal) => this.repositoryPage({ pageSize: options.pageSize ?? 1000, cursor, signal }), {
      what: `the repositories of ${this.host}`,
      registry: this.host,
      signal: options.signal,
      deadlineMs: this.transport.listingDeadlineMs,
    });
  }
}

export function parseJson<T>(text: string, registry: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new OciError('PROTOCOL', `${registry} answered the ${what} request with something that is not JSON`, { registry });
  }
}
