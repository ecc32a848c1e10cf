import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../src/gitops/rules/catalogue';
import { GROUPED_PREFIXES, prefixOf, renderRulesDoc, RULES_DOC_PATH } from '../docs/rulesDoc';

// The kind modules report their codes as string literals; this file is what ties those literals to
// the catalogue, so a code added to a rule without an entry (or an entry left behind) fails here.
const ROOT = join(__dirname, '..', '..', '..');
const CATALOGUE = join(ROOT, 'src', 'gitops', 'rules', 'catalogue.ts');
// A rule code: three or more capitals and three digits (OCI004, IMGVOL001), or SCHEMA. JOSE
// algorithm names (ES256, PS384) have two letters and are not codes.
const CODE = /['"`]([A-Z]{3,}\d{3}|SCHEMA)['"`]/g;
// A code with the severity it is reported with, as ctx.report('OCI004', 'error', …) or a
// Diagnostic literal { code: 'LIVE001', severity: 'error' }.
const CODE_WITH_SEVERITY = /['"]([A-Z]{3,}\d{3}|SCHEMA)['"],\s*(?:severity:\s*)?['"](error|warning|info)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') && path !== CATALOGUE ? [path] : [];
  });
}

/** Every code literal in src/ (the catalogue aside), with the files it appears in. */
function codesInSource(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sourceFiles(join(ROOT, 'src')))
    for (const [, code] of readFileSync(file, 'utf8').matchAll(CODE)) found.set(code, [...(found.get(code) ?? []), relative(ROOT, file)]);
  return found;
}

test('every rule code is catalogued once', () => {
  const codes = RULES.map((rule) => rule.code);
  assert.deepEqual(
    codes.filter((code, index) => codes.indexOf(code) !== index),
    [],
  );
});

test('every code the source reports is in the catalogue', () => {
  const catalogued = new Set(RULES.map((rule) => rule.code));
  const missing = [...codesInSource()].filter(([code]) => !catalogued.has(code)).map(([code, files]) => `${code} (${files.join(', ')})`);
  assert.deepEqual(missing, [], 'add these codes to src/gitops/rules/catalogue.ts, then run npm run docs:rules');
});

test('every catalogued code is reported somewhere in the source', () => {
  const used = codesInSource();
  assert.deepEqual(
    RULES.map((rule) => rule.code).filter((code) => !used.has(code)),
    [],
  );
});

test('a code is reported only with the severities catalogued for it', () => {
  const allowed = new Map(RULES.map((rule) => [rule.code, [rule.severity, ...(rule.otherwise ?? []).map((other) => other.severity)]]));
  const wrong: string[] = [];
  let seen = 0;
  for (const file of sourceFiles(join(ROOT, 'src')))
    for (const [, code, severity] of readFileSync(file, 'utf8').matchAll(CODE_WITH_SEVERITY)) {
      seen++;
      if (!allowed.get(code)?.includes(severity as 'error')) wrong.push(`${code} as ${severity} in ${relative(ROOT, file)}`);
    }
  assert.deepEqual(wrong, []);
  // The pattern must keep finding the report calls, or this check would pass on nothing.
  assert.ok(seen > 60, `only ${seen} code-severity pairs found`);
});

test('every rule says what it checks, where, and which upstream behaviour it follows', () => {
  const incomplete = RULES.filter((rule) => !rule.title || !rule.checks || rule.kinds.length === 0 || !rule.source).map(
    (rule) => rule.code,
  );
  assert.deepEqual(incomplete, []);
});

test('every rule has a section of docs/rules.md', () => {
  const ungrouped = RULES.filter((rule) => !GROUPED_PREFIXES.includes(prefixOf(rule.code))).map((rule) => rule.code);
  assert.deepEqual(ungrouped, []);
  const doc = renderRulesDoc(RULES);
  for (const rule of RULES) assert.match(doc, new RegExp(`^### ${rule.code}$`, 'm'));
});

test('docs/rules.md is the catalogue as npm run docs:rules writes it', () => {
  const written = readFileSync(join(ROOT, ...RULES_DOC_PATH), 'utf8');
  assert.ok(written === renderRulesDoc(RULES), 'docs/rules.md is out of date: run npm run docs:rules');
});
