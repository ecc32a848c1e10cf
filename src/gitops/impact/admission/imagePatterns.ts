import { DOCKER_HUB_HOST, type Reference } from '../../../oci';

// How each admission controller spells an image before matching its patterns against it, and the
// two pattern languages. Both follow the controllers' source, not their docs' prose.

/**
 * Kyverno's image string (kyverno pkg/utils/image/infos.go ImageInfo.String at 111e07bbec):
 * `registry/path@digest` when the reference has a digest (the tag is dropped), otherwise
 * `registry/path:tag` with `latest` for no tag. Docker Hub is `docker.io` (Kyverno's default
 * registry), and a one-component Hub name gets `library/`.
 */
export function kyvernoImageString(ref: Reference): string {
  const hub = ref.registry === DOCKER_HUB_HOST;
  const registry = hub ? 'docker.io' : ref.registry;
  const path = hub && !ref.repository.includes('/') ? `library/${ref.repository}` : ref.repository;
  return ref.digest ? `${registry}/${path}@${ref.digest}` : `${registry}/${path}:${ref.tag ?? 'latest'}`;
}

/**
 * go-containerregistry's `name.Reference.Name()`, what policy-controller matches globs against
 * (pkg/webhook/validator.go validateContainerImage → GetMatchingPolicies(ref.Name(), …)): Docker
 * Hub is `index.docker.io`, `repo@digest` for a digest, `repo:tag` otherwise (`latest` by default).
 */
export function containerRegistryName(ref: Reference): string {
  const hub = ref.registry === DOCKER_HUB_HOST;
  const registry = hub ? 'index.docker.io' : ref.registry;
  const path = hub && !ref.repository.includes('/') ? `library/${ref.repository}` : ref.repository;
  return ref.digest ? `${registry}/${path}@${ref.digest}` : `${registry}/${path}:${ref.tag ?? 'latest'}`;
}

/**
 * Kyverno's wildcard match (ext/wildcard/match.go → github.com/IGLOU-EU/go-wildcard v1.0.3
 * `Match`): `*` matches any run of characters, `/` and `:` included; `?` matches exactly one;
 * every other character matches itself; the whole string must match. Compared by code point, as
 * the Go code compares runes. Written iteratively (one backtrack point per `*`), so a pattern with
 * many stars stays linear-ish rather than exponential like the recursive original.
 */
export function kyvernoWildcardMatch(pattern: string, value: string): boolean {
  if (pattern === '') return value === '';
  if (pattern === '*') return true;
  const p = [...pattern];
  const s = [...value];
  let pi = 0;
  let si = 0;
  let star = -1;
  let resume = 0;
  while (si < s.length) {
    if (pi < p.length && p[pi] === '*') {
      star = pi++;
      resume = si;
    } else if (pi < p.length && (p[pi] === '?' || p[pi] === s[si])) {
      pi++;
      si++;
    } else if (star >= 0) {
      pi = star + 1;
      si = ++resume;
    } else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

/** A Kyverno wildcard as an anchored RE2 pattern (for keyless subjects and issuers). */
export function kyvernoWildcardPattern(pattern: string): string {
  const body = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeRegExp(c))).join('');
  return `^${body}$`;
}

/** A literal string as an anchored RE2 pattern. */
export function exactPattern(value: string): string {
  return `^${escapeRegExp(value)}$`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

const VALID_GLOB = /^[a-zA-Z0-9\-_:/*.@]+$/;

/**
 * policy-controller's glob (pkg/apis/glob/glob.go Compile at f925c0c1): `*` is any run of
 * non-`/` characters, `**` is any run of characters, `.` is literal, `@` is allowed (for digests), the glob must match the whole
 * name; `*` alone means `index.docker.io/library/*` and `*∕*` means `index.docker.io/*∕*`. A glob
 * with other characters is invalid (the controller reports an error and matches nothing).
 */
export function compilePolicyControllerGlob(glob: string): RegExp | undefined {
  let text = glob === '*/*' ? 'index.docker.io/*/*' : glob === '*' ? 'index.docker.io/library/*' : glob;
  if (!VALID_GLOB.test(text)) return undefined;
  text = text.replace(/\./g, '\\.').replace(/\*\*/g, '#').replace(/\*/g, '[^/]*').replace(/#/g, '.*');
  return new RegExp(`^${text}$`);
}
