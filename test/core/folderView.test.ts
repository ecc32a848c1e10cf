import assert from 'node:assert/strict';
import { test } from 'node:test';
import { folderEntries, isFolder } from '../../src/artifact/folderView';

const FILES = ['kustomization.yaml', 'apps/web/deploy.yaml', 'apps/web/svc.yaml', 'apps/api.yaml', 'README.md', 'base/ns.yaml'];

test('the top of an artifact lists its folders first, then its files, each by name', () => {
  assert.deepEqual(
    folderEntries(FILES, '').map((e) => [e.name, e.isDirectory]),
    [
      ['apps', true],
      ['base', true],
      ['kustomization.yaml', false],
      ['README.md', false],
    ],
  );
});

test('a folder lists only what is directly inside it, with full paths', () => {
  assert.deepEqual(folderEntries(FILES, 'apps'), [
    { name: 'web', path: 'apps/web', isDirectory: true },
    { name: 'api.yaml', path: 'apps/api.yaml', isDirectory: false },
  ]);
  assert.deepEqual(folderEntries(FILES, 'app'), [], 'a name prefix is not a folder');
});

test('a path is a folder when some file lies under it', () => {
  assert.equal(isFolder(FILES, 'apps/web'), true);
  assert.equal(isFolder(FILES, 'apps/web/deploy.yaml'), false);
  assert.equal(isFolder(FILES, 'app'), false);
});
