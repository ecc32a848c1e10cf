import { isOciError } from '../../oci';
import type { ProviderName } from '../provider';

/**
 * Whether a write to `registry` was refused because the GitHub login behind it may only read.
 * GHCR's token service answers a `read:packages` token with a bearer token for pull alone, so the
 * first upload of a push, sign or copy is refused: 403 DENIED ("permission_denied: The token
 * provided does not match expected scopes") on ghcr.io, 401 insufficient scope from a Distribution
 * behind the same flow. A refusal counts only for the registry written to and only while a GitHub
 * login serves it: a stored password or Docker login there has nothing a GitHub scope could change,
 * and a token the token service refused outright is a sign-in failure (CREDENTIALS), not this.
 * Only the refusal of a write request counts, so a write command's own reads never ask for write.
 */
export function refusedForPackageWrite(error: unknown, registry: string, signedInWith: ProviderName | undefined): boolean {
  if (signedInWith !== 'github') return false;
  if (!isOciError(error, 'UNAUTHORIZED') && !isOciError(error, 'DENIED')) return false;
  return error.registry === registry && refusedRequestWrote(error);
}

/**
 * Whether the request the registry refused was a write (an upload or a manifest push): a refused
 * read (a package the account cannot see) is no missing scope. A command that wraps the client's
 * error keeps it as the cause, so the chain is followed to the registry's answer.
 */
function refusedRequestWrote(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 8; current = (current as { cause?: unknown }).cause, depth++) {
    const method = isOciError(current) ? current.method : undefined;
    if (method) return method === 'POST' || method === 'PUT' || method === 'PATCH';
  }
  return false;
}
