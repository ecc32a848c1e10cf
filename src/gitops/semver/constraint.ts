import { compileGoRegexp } from '../../text/goRegexp';
import { compareVersions, comparePrerelease, parseStrictVersion, parseVersion, type Version } from './version';

/**
 * Constraints as github.com/Masterminds/semver/v3 (v3.4.0, constraints.go) reads them, which is what
 * Flux `ref.semver` and Argo CD's Helm/OCI `targetRevision` ranges mean: `||` between groups, space or
 * comma for "and", `^ ~ ~> = != > < >= => <= =<`, `x`/`X`/`*` wildcards and partial versions, hyphen
 * ranges. A group without a pre-release in any of its constraints never matches a pre-release version.
 */
export interface Constraint {
  op: string;
  /** The version text as written (`1.2.x`). */
  text: string;
  version: Version;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

export interface Constraints {
  /** OR of AND groups. */
  groups: Constraint[][];
  /** Per group: does one of its constraints name a pre-release (then pre-releases may match). */
  groupHasPrerelease: boolean[];
  source: string;
}

export class ConstraintError extends Error {}

// Masterminds' own patterns, matched by Go's linear-time engine as Masterminds matches them: JavaScript's
// backtracking engine takes exponential time on VALID (`1   1   1 … 1!`: the spaces between two versions
// split between one item's trailing \s* and the next one's \s+ in every possible way).
const S = '\\s';
const CV =
  'v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?';
// The empty alternative is deliberate (a bare version means "=" with tilde semantics for partial ones).
const OPS = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^';
const CONSTRAINT = compileGoRegexp(`^${S}*(${OPS})${S}*(${CV})${S}*$`);
const RANGE = compileGoRegexp(`${S}*(${CV})${S}+-${S}+(${CV})${S}*`);
const FIND = compileGoRegexp(`(${OPS})${S}*(${CV})`);
const VALID = compileGoRegexp(`^(${S}*(${OPS})${S}*(${CV})${S}*)((?:${S}+|,${S}*)(${OPS})${S}*(${CV})${S}*)*$`);

function isX(text: string): boolean {
  return text === 'x' || text === 'X' || text === '*';
}

/**
 * `1 - 2` becomes `>= 1, <= 2 `, as rewriteRange does, before anything else is read. Go replaces the
 * first occurrence of each match's text in the text rewritten so far. A match holds only version
 * characters and white space, so an earlier occurrence can only begin after the last `=` of the
 * previous replacement (earlier original text would have been matched first): searching that short
 * window gives Go's result without rescanning the whole text once per range.
 */
export function rewriteRange(input: string): string {
  const out: string[] = [];
  let carried = '';
  let from = 0;
  for (const { groups, index } of RANGE.execAll(input)) {
    const whole = groups[0] ?? '';
    const window = carried + input.slice(from, index + whole.length);
    const at = window.indexOf(whole);
    const replacement = `>= ${groups[1]}, <= ${groups[11]} `;
    const cut = replacement.lastIndexOf('=') + 1;
    out.push(window.slice(0, at), replacement.slice(0, cut));
    carried = replacement.slice(cut) + window.slice(at + whole.length);
    from = index + whole.length;
  }
  out.push(carried, input.slice(from));
  return out.join('');
}

function parseOne(text: string): Constraint {
  if (text.length === 0) {
    return { op: '', text, version: parseStrictVersion('0.0.0'), dirty: true, minorDirty: false, patchDirty: false };
  }
  const m = CONSTRAINT.exec(text);
  if (!m) throw new ConstraintError(`improper constraint: "${text}"`);
  const [, op = '', written = '', major = '', minor = '', patch = '', pre = ''] = m;
  let versionText = written;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(major) || major === '') {
    versionText = `0.0.0${pre}`;
    dirty = true;
  } else if (isX(minor.slice(1)) || minor === '') {
    versionText = `${major}.0.0${pre}`;
    dirty = minorDirty = true;
  } else if (isX(patch.slice(1)) || patch === '') {
    versionText = `${major}${minor}.0${pre}`;
    dirty = patchDirty = true;
  }
  let version: Version;
  try {
    version = parseVersion(versionText);
  } catch {
    throw new ConstraintError(`constraint parser error: "${text}" holds no usable version`);
  }
  return { op, text: written, version, dirty, minorDirty, patchDirty };
}

/** NewConstraint. Throws ConstraintError for text Masterminds refuses (Flux then fails the reconcile). */
export function parseConstraints(source: string): Constraints {
  const rewritten = rewriteRange(source);
  const groups: Constraint[][] = [];
  const groupHasPrerelease: boolean[] = [];
  for (const or of rewritten.split('||')) {
    if (!VALID.test(or)) throw new ConstraintError(`improper constraint: "${or}"`);
    const found = FIND.execAll(or).map((m) => m.groups[0] ?? '');
    const group = (found.length ? found : [or]).map(parseOne);
    groups.push(group);
    groupHasPrerelease.push(group.some((c) => c.version.pre !== ''));
  }
  return { groups, groupHasPrerelease, source };
}

type Check = (v: Version, c: Constraint) => boolean;

const notEqual: Check = (v, c) => {
  if (c.dirty) {
    if (c.version.major !== v.major) return true;
    if (c.version.minor !== v.minor && !c.minorDirty) return true;
    if (c.minorDirty) return false;
    if (c.version.patch !== v.patch && !c.patchDirty) return true;
    if (c.patchDirty) {
      if (v.pre !== '' || c.version.pre !== '') return comparePrerelease(v.pre, c.version.pre) !== 0;
      return false;
    }
  }
  return compareVersions(v, c.version) !== 0;
};

const greaterThan: Check = (v, c) => {
  if (!c.dirty) return compareVersions(v, c.version) === 1;
  if (v.major > c.version.major) return true;
  if (v.major < c.version.major) return false;
  // `>11` needs 12 or more; `>11.1` needs 11.2 or more.
  if (c.minorDirty) return false;
  if (c.patchDirty) return v.minor > c.version.minor;
  return compareVersions(v, c.version) === 1;
};

const lessThan: Check = (v, c) => compareVersions(v, c.version) < 0;
const greaterThanOrEqual: Check = (v, c) => compareVersions(v, c.version) >= 0;

const lessThanOrEqual: Check = (v, c) => {
  if (!c.dirty) return compareVersions(v, c.version) <= 0;
  if (v.major > c.version.major) return false;
  if (v.major === c.version.major && v.minor > c.version.minor && !c.minorDirty) return false;
  return true;
};

const tilde: Check = (v, c) => {
  if (compareVersions(v, c.version) < 0) return false;
  // ~0.0.0 (and ~0, ~*) is "anything".
  if (c.version.major === 0n && c.version.minor === 0n && c.version.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.version.major) return false;
  if (v.minor !== c.version.minor && !c.minorDirty) return false;
  return true;
};

const tildeOrEqual: Check = (v, c) => (c.dirty ? tilde(v, c) : compareVersions(v, c.version) === 0);

const caret: Check = (v, c) => {
  if (compareVersions(v, c.version) < 0) return false;
  if (c.version.major > 0n || c.minorDirty) return v.major === c.version.major;
  if (v.major > 0n) return false;
  if (c.version.minor > 0n || c.patchDirty) return v.minor === c.version.minor;
  if (v.minor > 0n) return false;
  return c.version.patch === v.patch;
};

const CHECKS: Record<string, Check> = {
  '': tildeOrEqual,
  '=': tildeOrEqual,
  '!=': notEqual,
  '>': greaterThan,
  '<': lessThan,
  '>=': greaterThanOrEqual,
  '=>': greaterThanOrEqual,
  '<=': lessThanOrEqual,
  '=<': lessThanOrEqual,
  '~': tilde,
  '~>': tilde,
  '^': caret,
};

/** One constraint, as constraint.check: a pre-release version fails unless pre-releases are included. */
export function checkConstraint(v: Version, c: Constraint, includePrerelease: boolean): boolean {
  if (v.pre !== '' && !includePrerelease) return false;
  return CHECKS[c.op](v, c);
}

/** Constraints.Check: true when every constraint of some group holds. */
export function satisfies(v: Version, constraints: Constraints, includePrerelease = false): boolean {
  return constraints.groups.some((group, i) =>
    group.every((c) => checkConstraint(v, c, includePrerelease || constraints.groupHasPrerelease[i])),
  );
}

/** parseConstraint alone (Masterminds' unexported one), for its own table of single constraints. */
export function parseSingleConstraint(text: string): Constraint {
  return parseOne(text);
}
