import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readPromotionTargets } from '../../src/artifact/promotionTargets';

describe('ociGitops.promotionTargets as written in settings', () => {
  test('a target names a repository and the tag to move there; referrers are copied unless turned off', () => {
    const { targets, problems } = readPromotionTargets([
      { name: 'Production', repository: 'registry.example.com:5000/prod/apps/web', tag: 'prod' },
      { name: 'Mirror', repository: 'ghcr.io/org/web', tag: 'stable', referrers: false },
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual(targets, [
      { name: 'Production', registry: 'registry.example.com:5000', repository: 'prod/apps/web', tag: 'prod', referrers: true },
      { name: 'Mirror', registry: 'ghcr.io', repository: 'org/web', tag: 'stable', referrers: false },
    ]);
  });

  test('a bad entry is named with what to fix, and the good ones are still offered', () => {
    const { targets, problems } = readPromotionTargets([
      { name: 'no tag', repository: 'ghcr.io/org/web' },
      { name: 'with tag', repository: 'ghcr.io/org/web:1.0', tag: 'prod' },
      { name: 'short name', repository: 'web', tag: 'prod' },
      { name: 'bad tag', repository: 'ghcr.io/org/web', tag: '-prod' },
      'ghcr.io/org/web',
      { name: 'ok', repository: 'ghcr.io/org/web', tag: 'prod' },
    ]);
    assert.deepEqual(
      targets.map((t) => t.name),
      ['ok'],
    );
    assert.equal(problems.length, 5);
    assert.match(problems[0], /promotionTargets\[0\] \(no tag\) has no "tag"/);
    assert.match(problems[1], /promotionTargets\[1\] \(with tag\): "repository" names a tag or digest/);
    assert.match(problems[2], /promotionTargets\[2\] \(short name\): /);
    assert.match(problems[3], /promotionTargets\[3\] \(bad tag\): Invalid tag "-prod"/);
    assert.match(problems[4], /promotionTargets\[4\] is not an object/);
  });

  test('no setting is no targets and no problem; a setting that is not a list is one problem', () => {
    assert.deepEqual(readPromotionTargets(undefined), { targets: [], problems: [] });
    assert.equal(readPromotionTargets({ repository: 'ghcr.io/org/web' }).problems.length, 1);
  });
});
