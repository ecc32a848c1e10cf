import { SigningError } from '../errors';

/**
 * Reads the claims of an OIDC identity token (a JWT) without checking its signature: Fulcio
 * checks that against the issuer's keys. Reading them here lets signing fail early, with a
 * message that never contains the token, instead of letting @sigstore/sign fail later with one
 * that does (its IDENTITY_TOKEN_PARSE_ERROR message embeds the whole token).
 */
export interface IdentityTokenClaims {
  iss: string;
  sub?: string;
  email?: string;
  email_verified?: boolean;
  aud?: string | string[];
  exp?: number;
  nonce?: string;
  [claim: string]: unknown;
}

/** The identity Fulcio will put into the certificate for this token. */
export interface TokenIdentity {
  issuer: string;
  /** The email when the token carries one (Fulcio then requires email_verified), else `sub`. */
  subject: string;
}

export function identityTokenClaims(token: string): IdentityTokenClaims {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || !parts[1]) throw tokenError('it is not a JWT (three dot-separated parts)');
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    throw tokenError('its payload is not base64url-encoded JSON');
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw tokenError('its payload is not a JSON object');
  const c = claims as IdentityTokenClaims;
  if (typeof c.iss !== 'string' || c.iss === '') throw tokenError('it has no "iss" (issuer) claim');
  return c;
}

/**
 * What Fulcio binds to the certificate (util/oidc.js extractJWTSubject in @sigstore/sign, and
 * Fulcio's email issuers): a verified email when present, otherwise the subject. Rejects tokens
 * that are expired (with a minute of leeway for clock skew) so the user is not sent to Fulcio only
 * to be refused.
 */
export function tokenIdentity(token: string, now: Date = new Date()): TokenIdentity {
  const claims = identityTokenClaims(token);
  if (typeof claims.exp === 'number' && claims.exp * 1000 + 60_000 < now.getTime()) {
    throw tokenError(
      `it expired at ${new Date(claims.exp * 1000).toISOString()}`,
      'Get a fresh token (identity tokens usually live a few minutes) and sign right away',
    );
  }
  if (typeof claims.email === 'string' && claims.email !== '') {
    if (claims.email_verified !== true)
      throw tokenError(`its email ${claims.email} is not verified by the issuer (email_verified is not true), so Fulcio will refuse it`);
    return { issuer: claims.iss, subject: claims.email };
  }
  if (typeof claims.sub === 'string' && claims.sub !== '') return { issuer: claims.iss, subject: claims.sub };
  throw tokenError('it has neither an "email" nor a "sub" claim, so Fulcio has no identity to certify');
}

/** Removes a token from a message that a library built around it. */
export function redactToken(message: string, token: string): string {
  const trimmed = token.trim();
  return trimmed.length > 0 ? message.split(trimmed).join('<identity token>') : message;
}

function tokenError(
  problem: string,
  hint = 'Pass an OIDC identity token from your CI (SIGSTORE_ID_TOKEN or --identity-token-file), or sign in interactively',
): SigningError {
  return new SigningError('KEY_INVALID', `The OIDC identity token cannot be used: ${problem}`, hint);
}
