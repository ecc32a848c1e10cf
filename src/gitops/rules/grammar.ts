import { parseConstraints, parseStrictVersion, parseVersion } from '../semver';
import { compileGoRegexp } from '../../text/goRegexp';
import { errorMessage } from '../../text/format';

/** Flux's Duration patterns (CRD): interval allows hours, timeout does not. */
export const INTERVAL = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;
export const TIMEOUT = /^([0-9]+(\.[0-9]+)?(ms|s|m))+$/;
export const DIGEST = /^sha256:[a-f0-9]{64}$/;
export const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
export const REPOSITORY = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/;

/** Text Masterminds semver reads as a constraint (Flux `ref.semver`), other than one exact version. */
export function isSemverConstraint(text: string): boolean {
  if (succeeds(() => parseStrictVersion(text.startsWith('v') ? text.slice(1) : text))) return false;
  return succeeds(() => parseConstraints(text));
}

/**
 * Argo CD's reading of `targetRevision` (argo-cd util/versions/tags.go MaxVersion): anything the loose
 * NewVersion accepts (`1.2`, `v1`) is a pin, and only the rest is tried as a constraint.
 */
export function isArgoSemverConstraint(text: string): boolean {
  if (succeeds(() => parseVersion(text))) return false;
  return succeeds(() => parseConstraints(text));
}

function succeeds(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
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

/**
 * The registry repository source-controller pulls a chart from: an OCI HelmRepository's url with
 * the chart's name appended. The url may be a registry root (`oci://ghcr.io/`, source-controller's
 * own sample), whose charts sit at the top of the registry, and may end with a slash.
 */
export function ociChartRepository(url: string, chart: string): { host: string; repository: string } | undefined {
  const parts = helmOciUrl(url);
  if (!parts || parts.tag || parts.digest) return undefined;
  const repository = parts.repository ? `${parts.repository}/${chart}` : chart;
  return REPOSITORY.test(repository) ? { host: parts.host, repository } : undefined;
}

/** An OCI HelmRepository's url in parts; a registry root has an empty repository. */
export function helmOciUrl(url: string): ReturnType<typeof splitOciUrl> {
  const trimmed = url.replace(/\/+$/, '');
  const root = /^oci:\/\/([^/]+)$/.exec(trimmed);
  return root ? { host: root[1], repository: '' } : splitOciUrl(trimmed);
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
