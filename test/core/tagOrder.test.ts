import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coerce, compare, valid } from 'semver';
import { sortTagsNewestFirst } from '../../src/artifact/tagOrder';
import { manyTagNames } from '../support/manyTags';

/** The order by semver's own compare on every pair: what the fast path must agree with. */
function bySemver(tags: string[]): string[] {
  const versioned: { tag: string; version: string }[] = [];
  const others: string[] = [];
  for (const tag of tags) {
    const version = valid(tag.replace(/_/g, '+')) ?? (/^v?\d+(\.\d+){0,2}$/.test(tag) ? coerce(tag)?.version : undefined);
    if (version) versioned.push({ tag, version });
    else others.push(tag);
  }
  versioned.sort((a, b) => compare(b.version, a.version) || (a.tag < b.tag ? 1 : -1));
  others.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  return [...versioned.map((v) => v.tag), ...others];
}

test('tags sort newest first by semantic version precedence, then the rest in reverse name order', () => {
  assert.deepEqual(sortTagsNewestFirst(['1.9.0', 'latest', '1.10.0', '1.10.0-rc.1', 'main', '1.10.0-rc.2', '2.0.0-alpha', '1.2']), [
    '2.0.0-alpha',
    '1.10.0',
    '1.10.0-rc.2',
    '1.10.0-rc.1',
    '1.9.0',
    '1.2',
    'main',
    'latest',
  ]);
});

test('the fast path for x.y.z orders exactly as semver does, on awkward tags too', () => {
  const awkward = [
    'v1.2.3',
    '1.2.3',
    '1.2.3+build.5',
    '1.2.3_build.7',
    '1.2.3-alpha',
    '1.2.3-alpha.1',
    '1.2.3-alpha.beta',
    '1.2.3-beta.2',
    '1.2.3-beta.11',
    '1.2.3-rc.1',
    '01.2.3',
    'v1',
    '1',
    '1.2',
    'v2.0',
    '0.0.0',
    '0.0.1',
    '10.0.0',
    '9.99.999',
    '999999999999999.0.0',
    '1.2.3.4',
    'sha-abc123',
    'latest',
    'main',
    'stable',
    '',
  ];
  assert.deepEqual(sortTagsNewestFirst(awkward), bySemver(awkward));
  const many = manyTagNames(3000);
  assert.deepEqual(sortTagsNewestFirst(many), bySemver(many));
});
