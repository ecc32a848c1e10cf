import assert from 'node:assert/strict';
import { test } from 'node:test';
import { releaseTags } from '../../../src/artifact/copy';
import { selectTags } from '../../../src/gitops/semver';

const listed = ['1.0.0', 'v1.2.0', '1.2.0-rc.1', '2.0.0', 'latest', 'main-4f2a9c1', '1.2'];

test('no selection takes every tag, in the order listed', () => {
  assert.deepEqual(selectTags(listed, {}), { tags: listed });
});

test("--semver takes the versions Flux's ref.semver reads and the constraint admits, in the order listed", () => {
  // fluxcd/pkg version.ParseVersion: strict MAJOR.MINOR.PATCH after one leading v; `1.2` is no version; pre-releases need a -0 bound.
  assert.deepEqual(selectTags(listed, { semver: '^1.0' }).tags, ['1.0.0', 'v1.2.0']);
  assert.deepEqual(selectTags(listed, { semver: '>=1.0.0-0' }).tags, ['1.0.0', 'v1.2.0', '1.2.0-rc.1', '2.0.0']);
});

test('--tag-regex matches anywhere in the tag, as Go MatchString does, and with --semver filters first (semverFilter)', () => {
  assert.deepEqual(selectTags(listed, { tagRegex: '2\\.0' }).tags, ['v1.2.0', '1.2.0-rc.1', '2.0.0']);
  assert.deepEqual(selectTags(listed, { semver: '*', tagRegex: '^v' }).tags, ['v1.2.0']);
});

test('a pattern Go refuses (a backreference) is an error naming the pattern, not a selection', () => {
  const refused = selectTags(listed, { tagRegex: '(a)\\1' });
  assert.deepEqual(refused.tags, []);
  assert.match(refused.error!, /--tag-regex \(a\)\\1 is not a Go regular expression/);
});

test('a pattern that backtracks exponentially in JavaScript runs in linear time on RE2', () => {
  const hostile = `${'a'.repeat(100_000)}!`;
  const started = performance.now();
  assert.deepEqual(selectTags([hostile, 'aaa'], { tagRegex: '^(a+)+$' }).tags, ['aaa']);
  assert.ok(performance.now() - started < 2_000, 'RE2 answers at once where a backtracking engine would not return');
});

test('cosign and referrers fallback tags are not releases: they travel with their subject', () => {
  const digest = 'a'.repeat(64);
  assert.deepEqual(releaseTags(['1.0.0', `sha256-${digest}`, `sha256-${digest}.sig`, `sha256-${digest}.att`, 'sha256-notes']), [
    '1.0.0',
    'sha256-notes',
  ]);
});
