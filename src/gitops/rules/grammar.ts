import { validRange, valid } from 'semver';
import { compileGoRegexp } from '../../text/goRegexp';
import { errorMessage } from '../../text/format';

/** Flux's Duration patterns (CRD): interval allows hours, timeout does not. */
export const INTERVAL = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;
export const TIMEOUT = /^([0-9]+(\.[0-9]+)?(ms|s|m))+$/;
export const DIGEST = /^sha256:[a-f0-9]{64}$/;
export const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
export const REPOSITORY = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/;

/** Masterminds semver constraints, as Flux and Argo CD read them; node-semver ranges are close enough for syntax. */
export function isSemverConstraint(text: string): boolean {
  if (valid(text)) return false;
  return validRange(text.replace(/,/g, ' ').replace(/\s+/g, ' ').trim()) !== null;
}

/** Why Go's regexp (which Flux and cosign use) refuses a pattern, or undefined when it compiles. */
export function compiles(pattern: string): string | undefined {
  try {
    compileGoRegexp(pattern);
    return undefined;
  } catch (error) {
    return errorMessage(error);
  }
}

/** Splits `oci://host[:port]/repo[:tag][@digest]` into its parts. */
export function splitOciUrl(url: string): { host: string; repository: string; tag?: string; digest?: string } | undefined {
  const match = /^oci:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!match) return undefined;
  let rest = match[2];
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { host: match[1], repository: rest, tag, digest };
}
