import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

// The contract (contract/: the GitOpsKind interface, the RuleContext, the sites and targets kinds
// report) is what kinds/, completion/, live/, rules/ and schemas/ share. Dependencies point one way:
// kinds/ use the serving folders and the contract, the serving folders use the contract, and the
// contract uses neither. Were a serving folder to reach back into the kinds, a change to one kind
// would ripple through every folder that serves them; the kinds table is consulted by the modules
// above them (engine, validator, kindQueries…).
const root = resolve(__dirname, '..', '..', '..');
const gitops = join(root, 'src', 'gitops');
const kinds = join(gitops, 'kinds');
const contractFolder = join(gitops, 'contract');
const contract = join(contractFolder, 'kind.ts');
const SERVING_FOLDERS = ['completion', 'live', 'rules', 'schemas'].map((name) => join(gitops, name));
const MAX_KIND_MODULE_LINES = 300;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Each relative import of a file: the statement, and the src file it names. */
function imports(file: string): { statement: string; target: string }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+'(\.{1,2}\/[^']+)'/gms)].flatMap((m) => {
    const base = resolve(dirname(file), m[1]);
    const target = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => {
      try {
        return statSync(candidate).isFile();
      } catch {
        return false;
      }
    });
    return target ? [{ statement: m[0].trim(), target }] : [];
  });
}

/** Every src file a file reaches through its imports, type-only ones included. */
function reachable(file: string): Set<string> {
  const seen = new Set<string>();
  const pending = [file];
  while (pending.length > 0) {
    for (const { target } of imports(pending.pop()!)) {
      if (!seen.has(target)) {
        seen.add(target);
        pending.push(target);
      }
    }
  }
  return seen;
}

const inside = (folder: string) => (file: string) => !relative(folder, file).startsWith('..');

test('the kind contract imports only types, and nothing it imports reaches a kind', () => {
  const valueImports = imports(contract).filter(({ statement }) => !/^import type\s/.test(statement));
  assert.deepEqual(
    valueImports.map(({ statement }) => statement),
    [],
  );
  const kindsReached = [...reachable(contract)].filter(inside(kinds)).map((file) => relative(root, file));
  assert.deepEqual(kindsReached, []);
});

test('completion, live, rules and schemas never import from kinds/, not even the kinds table', () => {
  const offending = SERVING_FOLDERS.flatMap(sourceFiles).flatMap((file) =>
    imports(file)
      .filter(({ target }) => inside(kinds)(target))
      .map(({ target }) => `${relative(root, file)} -> ${relative(root, target)}`),
  );
  assert.deepEqual(offending, []);
});

test('the contract is a leaf: nothing in contract/ reaches kinds/, completion/, live/, rules/ or schemas/', () => {
  const reached = sourceFiles(contractFolder).flatMap((file) => [...reachable(file)]);
  const offending = [...new Set(reached)].filter((file) => [kinds, ...SERVING_FOLDERS].some((folder) => inside(folder)(file)));
  assert.deepEqual(
    offending.map((file) => relative(root, file)),
    [],
  );
});

test(`no kind module file is longer than ${MAX_KIND_MODULE_LINES} lines`, () => {
  const long = sourceFiles(kinds)
    .map((file) => ({ file: relative(root, file), lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
    .filter(({ lines }) => lines > MAX_KIND_MODULE_LINES);
  assert.deepEqual(long, []);
});
