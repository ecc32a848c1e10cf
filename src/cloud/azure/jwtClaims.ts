/**
 * Reads the claims of a JWT without verifying it. The tokens read here came straight from the
 * service that issued them over TLS; only their expiry and tenant are looked at, to plan renewal and
 * to tell ACR which tenant signed the Entra ID token, never to grant anything.
 */
export function unverifiedClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The `exp` claim as a Date, or undefined when the token has none. */
export function expiryOf(token: string): Date | undefined {
  const exp = unverifiedClaims(token)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? new Date(exp * 1000) : undefined;
}

/** The Entra ID tenant (`tid`) an access token was issued in. */
export function tenantOf(token: string): string | undefined {
  const tid = unverifiedClaims(token)?.tid;
  return typeof tid === 'string' && tid ? tid : undefined;
}
