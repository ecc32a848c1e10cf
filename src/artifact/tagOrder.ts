import { coerce, parse, SemVer } from 'semver';

/** A release tag's precedence: its numbers, and its SemVer when it has a pre-release part. */
interface Versioned {
  tag: string;
  major: number;
  minor: number;
  patch: number;
  semver?: SemVer;
}

/** `1.2.3` or `v1.2.3`, the shape most release tags have, read without the full SemVer parser. */
const PLAIN_RELEASE = /^v?(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})$/;
const MAY_BE_VERSION = /^\s*v?\d/;

/**
 * Newest first: semantic versions by precedence, then everything else in reverse lexical order.
 * Each tag is read once: plain `x.y.z` releases by a regular expression, the rest (pre-releases,
 * build metadata, `v1`, `1.2`) by semver, so sorting 10,000 tags takes milliseconds.
 */
export function sortTagsNewestFirst(tags: string[]): string[] {
  const versioned: Versioned[] = [];
  const others: string[] = [];
  for (const tag of tags) {
    const plain = PLAIN_RELEASE.exec(tag);
    if (plain) {
      versioned.push({ tag, major: Number(plain[1]), minor: Number(plain[2]), patch: Number(plain[3]) });
      continue;
    }
    // Only what starts like a version can be one: `latest`, `main-3f2a…` skip the parser.
    const version = MAY_BE_VERSION.test(tag)
      ? (parse(tag.replace(/_/g, '+')) ?? (/^v?\d+(\.\d+){0,2}$/.test(tag) ? coerce(tag) : null))
      : null;
    if (version) versioned.push({ tag, major: version.major, minor: version.minor, patch: version.patch, semver: version });
    else others.push(tag);
  }
  versioned.sort(
    (a, b) => b.major - a.major || b.minor - a.minor || b.patch - a.patch || comparePrerelease(b, a) || (a.tag < b.tag ? 1 : -1),
  );
  others.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  return [...versioned.map((v) => v.tag), ...others];
}

/** SemVer precedence of two versions whose numbers are equal: a release is newer than its pre-releases. */
function comparePrerelease(a: Versioned, b: Versioned): number {
  if (!a.semver?.prerelease.length && !b.semver?.prerelease.length) return 0;
  return (a.semver ?? new SemVer(`${a.major}.${a.minor}.${a.patch}`)).comparePre(
    b.semver ?? new SemVer(`${b.major}.${b.minor}.${b.patch}`),
  );
}
