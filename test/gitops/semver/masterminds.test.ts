import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  checkConstraint,
  compareVersions,
  parseConstraints,
  parseSingleConstraint,
  parseStrictVersion,
  parseVersion,
  rewriteRange,
  satisfies,
} from '../../../src/gitops/semver';

/**
 * The expected results of Masterminds/semver v3.4.0's own table tests (constraints_test.go,
 * version_test.go), vendored as data: see test/fixtures/semver/PROVENANCE.md. Flux and Argo CD both
 * resolve constraints with that library, so these tables are what "the same as the controllers" means.
 */
interface Cases {
  singleConstraintCheck: { constraint: string; version: string; check: boolean }[];
  newConstraint: { input: string; ors: number; count: number; err: boolean }[];
  constraintsCheck: { constraint: string; version: string; check: boolean }[];
  constraintsCheckIncludePrerelease: { constraint: string; version: string; check: boolean }[];
  rewriteRange: { input: string; rewritten: string }[];
  strictNewVersion: { version: string; err: boolean }[];
  newVersion: { version: string; err: boolean }[];
  compare: { a: string; b: string; expected: number }[];
}

const root = join(__dirname, '..', '..', '..', '..');
const cases = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'semver', 'masterminds-cases.json'), 'utf8')) as Cases;

function failures<T>(rows: T[], ok: (row: T) => boolean): T[] {
  return rows.filter((row) => !ok(row));
}

function throws(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch {
    return true;
  }
}

test('StrictNewVersion accepts and refuses what Masterminds does', () => {
  assert.ok(cases.strictNewVersion.length > 40);
  assert.deepEqual(
    failures(cases.strictNewVersion, (c) => throws(() => parseStrictVersion(c.version)) === c.err),
    [],
  );
});

test('NewVersion (coercing: v prefix, partial versions, leading zeros) accepts and refuses what Masterminds does', () => {
  assert.ok(cases.newVersion.length > 40);
  assert.deepEqual(
    failures(cases.newVersion, (c) => throws(() => parseVersion(c.version)) === c.err),
    [],
  );
});

test('versions compare as Masterminds compares them (metadata ignored, numeric pre-release parts below alphanumeric)', () => {
  assert.deepEqual(
    failures(cases.compare, (c) => compareVersions(parseVersion(c.a), parseVersion(c.b)) === c.expected),
    [],
  );
});

test('hyphen ranges are rewritten to a >= / <= pair before parsing, text for text', () => {
  assert.deepEqual(
    failures(cases.rewriteRange, (c) => rewriteRange(c.input) === c.rewritten),
    [],
  );
});

test('constraint parsing splits || groups and and-ed constraints, and refuses malformed text, as Masterminds does', () => {
  assert.deepEqual(
    failures(cases.newConstraint, (c) => {
      let parsed;
      try {
        parsed = parseConstraints(c.input);
      } catch {
        return c.err;
      }
      return !c.err && parsed.groups.length === c.ors && parsed.groups[0].length === c.count;
    }),
    [],
  );
});

test('a single constraint checks a version as Masterminds does, pre-releases allowed only when the constraint names one', () => {
  assert.ok(cases.singleConstraintCheck.length > 100);
  assert.deepEqual(
    failures(cases.singleConstraintCheck, (c) => {
      const constraint = parseSingleConstraint(c.constraint);
      return checkConstraint(parseVersion(c.version), constraint, constraint.version.pre !== '') === c.check;
    }),
    [],
  );
});

test('constraint groups check a version as Masterminds does', () => {
  assert.ok(cases.constraintsCheck.length > 100);
  assert.deepEqual(
    failures(cases.constraintsCheck, (c) => satisfies(parseVersion(c.version), parseConstraints(c.constraint)) === c.check),
    [],
  );
});

test('with pre-releases included, constraint groups check a version as Masterminds does', () => {
  assert.ok(cases.constraintsCheckIncludePrerelease.length > 100);
  assert.deepEqual(
    failures(
      cases.constraintsCheckIncludePrerelease,
      (c) => satisfies(parseVersion(c.version), parseConstraints(c.constraint), true) === c.check,
    ),
    [],
  );
});
