/**
 * Versions as github.com/Masterminds/semver/v3 (v3.4.0, version.go) reads them: the library Flux
 * source-controller and Argo CD resolve tags with. node-semver differs (coercion, leading zeros,
 * pre-release ordering of numeric-looking parts), so this is a separate, faithful reading.
 */
export interface Version {
  major: bigint;
  minor: bigint;
  patch: bigint;
  /** Pre-release without the dash; '' when there is none. */
  pre: string;
  /** Build metadata without the plus; '' when there is none. */
  metadata: string;
  /** The text the version was parsed from (a tag keeps its `v`). */
  original: string;
}

/** Why a text is not a version. `invalid` is Masterminds' ErrInvalidSemVer; Argo CD skips only that kind of tag. */
export type VersionErrorKind = 'invalid' | 'segment' | 'prerelease' | 'metadata' | 'leading-zero' | 'characters' | 'empty';

export class VersionError extends Error {
  constructor(
    readonly kind: VersionErrorKind,
    message: string,
  ) {
    super(message);
  }
}

const MAX_UINT64 = (1n << 64n) - 1n;
const ALLOWED = /^[0-9A-Za-z-]+$/;
const DIGITS = /^[0-9]+$/;
// version.go looseSemVerRegex: lets `1`, `1.2`, `v1.2.3` and leading zeros through; NewVersion coerces them.
const LOOSE = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

function uint64(text: string): bigint {
  const value = BigInt(text);
  if (value > MAX_UINT64) throw new VersionError('segment', `version segment ${text} does not fit in 64 bits`);
  return value;
}

function validatePrerelease(pre: string): void {
  for (const part of pre.split('.')) {
    if (part === '') throw new VersionError('prerelease', `invalid prerelease string "${pre}"`);
    if (DIGITS.test(part)) {
      if (part.length > 1 && part.startsWith('0')) throw new VersionError('leading-zero', `prerelease part ${part} starts with 0`);
    } else if (!ALLOWED.test(part)) throw new VersionError('prerelease', `invalid prerelease string "${pre}"`);
  }
}

function validateMetadata(metadata: string): void {
  for (const part of metadata.split('.'))
    if (part === '' || !ALLOWED.test(part)) throw new VersionError('metadata', `invalid metadata string "${metadata}"`);
}

/** NewVersion (CoerceNewVersion, the default): `v` prefix, partial `1.2`, leading zeros are accepted. */
export function parseVersion(text: string): Version {
  const m = LOOSE.exec(text);
  if (!m) throw new VersionError('invalid', `"${text}" is not a semantic version`);
  const version: Version = {
    major: uint64(m[1]),
    minor: m[2] ? uint64(m[2].slice(1)) : 0n,
    patch: m[3] ? uint64(m[3].slice(1)) : 0n,
    pre: m[5] ?? '',
    metadata: m[8] ?? '',
    original: text,
  };
  if (version.pre) validatePrerelease(version.pre);
  if (version.metadata) validateMetadata(version.metadata);
  return version;
}

/** StrictNewVersion: exactly MAJOR.MINOR.PATCH, no `v`, no leading zeros. */
export function parseStrictVersion(text: string): Version {
  if (text === '') throw new VersionError('empty', 'version string empty');
  const parts = text.split('.');
  if (parts.length < 3) throw new VersionError('invalid', `"${text}" is not a semantic version`);
  // Go's SplitN(v, ".", 3): the third part keeps any further dots (they belong to pre-release or metadata).
  let last = parts.slice(2).join('.');
  let metadata = '';
  let pre = '';
  const plus = last.indexOf('+');
  if (plus >= 0) {
    metadata = last.slice(plus + 1);
    last = last.slice(0, plus);
    validateMetadata(metadata);
  }
  const dash = last.indexOf('-');
  if (dash >= 0) {
    pre = last.slice(dash + 1);
    last = last.slice(0, dash);
    validatePrerelease(pre);
  }
  const numbers = [parts[0], parts[1], last];
  for (const part of numbers) {
    if (!DIGITS.test(part)) throw new VersionError('characters', `invalid characters in version "${text}"`);
    if (part.length > 1 && part.startsWith('0')) throw new VersionError('leading-zero', `version segment ${part} starts with 0`);
  }
  return { major: uint64(numbers[0]), minor: uint64(numbers[1]), patch: uint64(numbers[2]), pre, metadata, original: text };
}

function compareNumbers(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const UINT64_TEXT = /^[0-9]+$/;

function isUint64(text: string): boolean {
  return UINT64_TEXT.test(text) && BigInt(text) <= MAX_UINT64;
}

// version.go comparePrePart: a part that parses as a uint64 sorts below one that does not; two
// non-numeric parts compare as byte strings, so `-2` sorts as text, not as a negative number.
function comparePrePart(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return -1;
  if (b === '') return 1;
  const aNumeric = isUint64(a);
  const bNumeric = isUint64(b);
  if (!aNumeric && !bNumeric) return a > b ? 1 : -1;
  if (!bNumeric) return -1;
  if (!aNumeric) return 1;
  return BigInt(a) > BigInt(b) ? 1 : -1;
}

export function comparePrerelease(a: string, b: string): number {
  const aParts = a.split('.');
  const bParts = b.split('.');
  const length = Math.max(aParts.length, bParts.length);
  for (let i = 0; i < length; i++) {
    const d = comparePrePart(aParts[i] ?? '', bParts[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

/** Version.Compare: build metadata is ignored; a release sorts above its pre-releases. */
export function compareVersions(a: Version, b: Version): number {
  const d = compareNumbers(a.major, b.major) || compareNumbers(a.minor, b.minor) || compareNumbers(a.patch, b.patch);
  if (d !== 0) return d;
  if (a.pre === '' && b.pre === '') return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  return comparePrerelease(a.pre, b.pre);
}

/** Version.String: the canonical form, without `v`. */
export function formatVersion(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}${v.pre ? `-${v.pre}` : ''}${v.metadata ? `+${v.metadata}` : ''}`;
}
