import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..');
const editorLayer = join(root, 'src', 'vscode');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('no core file imports vscode: only src/vscode/ may', () => {
  const offenders = sourceFiles(join(root, 'src'))
    .filter((file) => !file.startsWith(editorLayer + '/'))
    .filter((file) => /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]vscode['"]/.test(readFileSync(file, 'utf8')))
    .map((file) => relative(root, file));
  assert.deepEqual(offenders, []);
});

test('the check sees the core: it finds the OCI client sources', () => {
  assert.ok(sourceFiles(join(root, 'src', 'oci')).length > 10);
});
