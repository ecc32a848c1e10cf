import { X509Certificate } from '@sigstore/core';
import { compileGoRegexp, type GoRegexp } from '../../text/goRegexp';
import { SigningError } from '../errors';
import { errorMessage } from '../../text/format';

/**
 * Keyless identities: who a Fulcio certificate says signed, and whether that matches a policy
 * written like Flux's `spec.verify.matchOIDCIdentity`.
 *
 * Matching follows what Flux actually runs, not a stricter reading of its docs: source-controller
 * turns each entry into cosign.Identity{IssuerRegExp, SubjectRegExp}, and cosign
 * (pkg/cosign/verify.go) and sigstore-go (verify/certificate_identity.go) test them with Go's
 * regexp.MatchString, which searches: the pattern is NOT anchored. `example.com` matches
 * `alice@example.com.evil.test`. That is why Flux's docs and real manifests write `^…$`, and a
 * pattern with `^…$` here, as there, rejects a value that only contains it.
 */
export interface OidcIdentity {
  /** Regular expression (Go RE2 syntax) for the certificate's OIDC issuer. */
  issuer: string;
  /** Regular expression (Go RE2 syntax) for the certificate's subject alternative name. */
  subject: string;
}

/** The identity a Fulcio certificate carries. */
export interface SignerIdentity {
  /** The subject alternative name: an email, a URI (CI workflows), or a Fulcio username. */
  subject: string;
  /** The OIDC issuer extension. */
  issuer: string;
}

const OID_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';
/** Deprecated raw-string form, still read by cosign when the V2 extension is absent. */
const OID_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
/** Fulcio's otherName SAN for username identities. */
const OID_OTHERNAME_USERNAME = '1.3.6.1.4.1.57264.1.7';

/** The subject and issuer of a Fulcio certificate (DER), or undefined for fields it lacks. */
export function certificateIdentity(der: Buffer): Partial<SignerIdentity> {
  const cert = X509Certificate.parse(Buffer.from(der));
  const san = cert.extSubjectAltName;
  const subject = san?.uri ?? san?.rfc822Name ?? san?.otherName(OID_OTHERNAME_USERNAME);
  // V2 wraps the issuer in a DER UTF8String; V1 is the raw bytes (as @sigstore/verify and cosign read them).
  const v2 = cert.extension(OID_ISSUER_V2);
  const issuer = v2 ? v2.valueObj.subs?.[0]?.value.toString('utf8') : cert.extension(OID_ISSUER_V1)?.value.toString('utf8');
  return { subject, issuer };
}

export interface IdentityMatch {
  ok: boolean;
  reason: string;
}

/**
 * cosign's rule: the signature is accepted when some identity's issuer AND subject patterns both
 * match. An empty pattern matches anything, as it does in cosign.
 */
export function matchIdentity(signer: SignerIdentity, identities: OidcIdentity[]): IdentityMatch {
  if (identities.length === 0)
    return {
      ok: false,
      reason: 'no OIDC identity to match is configured (Flux needs spec.verify.matchOIDCIdentity for keyless verification)',
    };
  const misses: string[] = [];
  for (const [index, identity] of identities.entries()) {
    const issuerOk = goRegexp(identity.issuer, 'issuer').test(signer.issuer);
    const subjectOk = goRegexp(identity.subject, 'subject').test(signer.subject);
    const label = identities.length === 1 ? 'the identity' : `identity ${index + 1}`;
    if (issuerOk && subjectOk) return { ok: true, reason: `${label} {issuer: ${identity.issuer}, subject: ${identity.subject}} matches` };
    const problems = [...(subjectOk ? [] : [`subject /${identity.subject}/`]), ...(issuerOk ? [] : [`issuer /${identity.issuer}/`])];
    misses.push(`${label}'s ${problems.join(' and ')} does not match`);
  }
  return {
    ok: false,
    reason: `signed by ${signer.subject} (issuer ${signer.issuer}), which matches no configured OIDC identity: ${misses.join('; ')}`,
  };
}

/** Checks patterns up front (for the CLI and settings), so a typo is a usage error, not an "invalid" signature. */
export function validateIdentities(identities: OidcIdentity[]): void {
  for (const identity of identities) {
    goRegexp(identity.issuer, 'issuer');
    goRegexp(identity.subject, 'subject');
  }
}

/**
 * Compiles an identity pattern with Go's syntax and Go's linear-time matching (see
 * text/goRegexp): patterns may come from repository YAML, and a backtracking engine could be made
 * to hang verification on a crafted certificate identity.
 */
export function goRegexp(pattern: string, field: string): GoRegexp {
  try {
    return compileGoRegexp(pattern);
  } catch (error) {
    throw patternError(pattern, field, errorMessage(error));
  }
}

function patternError(pattern: string, field: string, problem: string): SigningError {
  return new SigningError(
    'TRUST_INVALID',
    `The OIDC ${field} pattern /${pattern}/ is not a usable regular expression: ${problem}`,
    'Write it in Go RE2 syntax, as Flux matchOIDCIdentity and cosign --certificate-identity-regexp expect, e.g. ^https://github\\.com/org/repo/',
  );
}
