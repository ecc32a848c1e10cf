/**
 * Every failure the OCI core reports is an OciError: a stable `code` for programs, a message that
 * names where it happened, and a `hint` that says what the user can do about it.
 */
export type OciErrorCode =
  | 'INVALID_REFERENCE'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'NAME_UNKNOWN'
  | 'NAME_INVALID'
  | 'MANIFEST_UNKNOWN'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_BLOB_UNKNOWN'
  | 'BLOB_UNKNOWN'
  | 'BLOB_UPLOAD_INVALID'
  | 'BLOB_UPLOAD_UNKNOWN'
  | 'DIGEST_INVALID'
  | 'SIZE_INVALID'
  | 'UNSUPPORTED'
  | 'TOOMANYREQUESTS'
  | 'CATALOG_UNSUPPORTED'
  | 'TAG_EXISTS'
  | 'DIGEST_MISMATCH'
  | 'TOO_LARGE'
  | 'INSECURE_REFUSED'
  | 'TLS'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'CREDENTIALS'
  | 'PROTOCOL'
  | 'SERVER_ERROR'
  | 'UNKNOWN';

export interface OciErrorInit {
  status?: number;
  /** The HTTP method of the request the registry answered with this error. */
  method?: string;
  registry?: string;
  repository?: string;
  hint?: string;
  detail?: unknown;
  cause?: unknown;
}

export class OciError extends Error {
  readonly code: OciErrorCode;
  readonly status?: number;
  /** The HTTP method of the request the registry answered with this error (a refused write is POST, PUT or PATCH). */
  readonly method?: string;
  readonly registry?: string;
  readonly repository?: string;
  readonly hint?: string;
  readonly detail?: unknown;

  constructor(code: OciErrorCode, message: string, init: OciErrorInit = {}) {
    super(init.hint ? `${message}. ${init.hint}` : message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'OciError';
    this.code = code;
    this.status = init.status;
    this.method = init.method;
    this.registry = init.registry;
    this.repository = init.repository;
    this.hint = init.hint;
    this.detail = init.detail;
  }
}

export function isOciError(err: unknown, code?: OciErrorCode): err is OciError {
  return err instanceof OciError && (code === undefined || err.code === code);
}

/** Where a request was aimed, used to word messages. */
export interface ErrorSite {
  registry: string;
  repository?: string;
  /** What the client was doing, e.g. "fetch manifest 1.0.0". */
  action: string;
}

/**
 * `registry/repository`, or the registry alone for a registry-wide request. (Written out here, not
 * by formatRepository: reference.ts imports this module for OciError.)
 */
export function siteName(site: Pick<ErrorSite, 'registry' | 'repository'>): string {
  return site.repository ? `${site.registry}/${site.repository}` : site.registry;
}

interface RegistryErrorBody {
  errors?: { code?: string; message?: string; detail?: unknown }[];
}

const KNOWN_CODES = new Set<string>([
  'UNAUTHORIZED',
  'DENIED',
  'NAME_UNKNOWN',
  'NAME_INVALID',
  'MANIFEST_UNKNOWN',
  'MANIFEST_INVALID',
  'MANIFEST_BLOB_UNKNOWN',
  'BLOB_UNKNOWN',
  'BLOB_UPLOAD_INVALID',
  'BLOB_UPLOAD_UNKNOWN',
  'DIGEST_INVALID',
  'SIZE_INVALID',
  'UNSUPPORTED',
  'TOOMANYREQUESTS',
]);

/** Builds the error for a registry response that was not a success. */
export function errorFromResponse(status: number, bodyText: string, site: ErrorSite, note = '', method?: string): OciError {
  const parsed = parseErrorBody(bodyText);
  const first = parsed?.[0];
  let code: OciErrorCode;
  if (first?.code && KNOWN_CODES.has(first.code)) {
    code = first.code as OciErrorCode;
  } else if (status === 401) {
    code = 'UNAUTHORIZED';
  } else if (status === 403) {
    code = 'DENIED';
  } else if (status === 404) {
    code = site.repository ? 'NAME_UNKNOWN' : 'UNSUPPORTED';
  } else if (status === 429) {
    code = 'TOOMANYREQUESTS';
  } else if (status >= 500) {
    code = 'SERVER_ERROR';
  } else {
    code = 'UNKNOWN';
  }
  const where = siteName(site);
  const said = first?.message ? `: ${sanitize(first.message)}` : '';
  const message = `Could not ${site.action} on ${where} (HTTP ${status} ${code}${note})${said}`;
  return new OciError(code, message, {
    status,
    method,
    registry: site.registry,
    repository: site.repository,
    hint: hintFor(code, site),
    detail: first?.detail,
  });
}

export function hintFor(code: OciErrorCode, site: { registry: string; repository?: string }): string | undefined {
  switch (code) {
    case 'UNAUTHORIZED':
      return `Sign in to ${site.registry} (or check that the stored credentials are still valid)`;
    case 'DENIED':
      return `The signed-in account is not allowed to do this on ${site.repository ?? site.registry}; ask for push/delete permission or use another account`;
    case 'NAME_UNKNOWN':
      return `Check the repository name; ${site.repository ?? 'it'} does not exist on ${site.registry} (or is not visible to this account)`;
    case 'MANIFEST_UNKNOWN':
      return 'Check the tag or digest; list the tags to see what exists';
    case 'TOOMANYREQUESTS':
      return 'The registry is rate limiting; wait a little, or sign in to get a higher limit';
    case 'SERVER_ERROR':
      return 'The registry failed; retry later or check its status';
    case 'CATALOG_UNSUPPORTED':
      return 'This registry does not list repositories; add them by name';
    default:
      return undefined;
  }
}

function parseErrorBody(text: string): RegistryErrorBody['errors'] {
  if (!text) return undefined;
  try {
    const body = JSON.parse(text) as RegistryErrorBody;
    return Array.isArray(body?.errors) ? body.errors : undefined;
  } catch {
    return undefined;
  }
}

/** Registry messages are untrusted; keep them short and free of control characters. */
function sanitize(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 300);
}
