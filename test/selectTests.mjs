// Which compiled test files a run takes: the stages of the whole suite, the unit tests, and a filter.
// A unit test is told apart by what it uses, read from its own require() calls, so a new test file
// lands on the right side without a list to keep: one that starts a registry or another HTTP
// server, code-server or a browser is not a unit test.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

/** Modules whose use makes a test need a server, code-server or a browser (matched on the last path segment). */
export const HEAVY_MODULES = [
  'registry',
  'useRegistry',
  'fakeRegistry',
  'tokenServer',
  'hostileServer',
  'faultProxy',
  'sigstoreServer',
  'codeServer',
  'workbench',
  'playwright-core',
  'node:http',
  'node:https',
  'node:net',
];

export function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? testFiles(path) : path.endsWith('.test.js') ? [path] : [];
    })
    .sort();
}

/**
 * The heavy modules a compiled test file requires, itself or through the test helpers it requires
 * (modules under `outTest`; src/ is not followed: it starts no server of its own accord).
 */
export function heavyUses(file, outTest, seen = new Set()) {
  if (seen.has(file)) return [];
  seen.add(file);
  const required = [...readFileSync(file, 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]);
  const heavy = required.filter((specifier) => HEAVY_MODULES.includes(specifier.split('/').pop()));
  const helpers = required
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => resolve(dirname(file), `${specifier}.js`))
    .filter((helper) => helper.startsWith(resolve(outTest) + sep) && existsSync(helper));
  return [...heavy, ...helpers.flatMap((helper) => heavyUses(helper, outTest, seen))];
}

export function isUnitTest(file, outTest) {
  return heavyUses(file, outTest).length === 0;
}

/**
 * The command line of test/run.mjs: `--unit` keeps the unit tests, and each other word is a
 * substring of the test file's path (e.g. `copy`, `core/`, `signing/notation`); a file runs when
 * it matches any of them. No word: every file.
 */
export function parseSelection(args) {
  const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--unit');
  if (unknown.length > 0) throw new Error(`Unknown option ${unknown.join(', ')}: test/run.mjs takes --unit and path substrings`);
  return { unit: args.includes('--unit'), patterns: args.filter((arg) => !arg.startsWith('--')) };
}

/** The stages to run, in order: core and registry tests first, the slower editor tests last. */
export function selectStages(outTest, { unit, patterns }) {
  const editorDir = join(outTest, 'editor') + sep;
  const chosen = testFiles(outTest)
    .filter((file) => !unit || isUnitTest(file, outTest))
    .filter((file) => patterns.length === 0 || patterns.some((pattern) => file.slice(outTest.length + 1).includes(pattern)));
  if (unit) return [{ name: 'unit', files: chosen }];
  return [
    { name: 'core and registry', files: chosen.filter((file) => !file.startsWith(editorDir)) },
    { name: 'editor (real VS Code)', files: chosen.filter((file) => file.startsWith(editorDir)) },
  ];
}
