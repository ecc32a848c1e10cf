import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..', '..');
const README = join(ROOT, 'README.md');
const PAGES = [
  README,
  join(ROOT, 'CONTRIBUTING.md'),
  join(ROOT, 'CHANGELOG.md'),
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(ROOT, 'docs', name)),
];

/** The anchor GitHub gives a heading: lowercase, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchors(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => slug(heading)));
}

/** Markdown links and images outside code: [text](target) and ![alt](target). */
function links(file: string): string[] {
  const text = readFileSync(file, 'utf8')
    .replace(/^```[\s\S]*?^```/gm, '')
    .replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map(([, target]) => target);
}

test('the README stays a short page: under 15 KB', () => {
  const size = statSync(README).size;
  assert.ok(size < 15 * 1024, `README.md is ${size} bytes; move detail into docs/`);
});

test('the README keeps the two commands CI and the house rules run', () => {
  const text = readFileSync(README, 'utf8');
  assert.match(text, /^bash \.ci\/setup && npm start {4}#/m);
  assert.match(text, /^bash \.ci\/setup && npm test {5}#/m);
});

test('every relative link of the README, CONTRIBUTING, CHANGELOG and docs/ reaches a file and a heading there', () => {
  const broken: string[] = [];
  let checked = 0;
  for (const page of PAGES)
    for (const target of links(page)) {
      if (/^[a-z]+:/i.test(target)) continue;
      checked++;
      const [path, anchor] = target.split('#');
      const file = path === '' ? page : join(dirname(page), path);
      const where = `${relative(ROOT, page)} → ${target}`;
      if (!existsSync(file)) broken.push(`${where}: no such file`);
      else if (anchor !== undefined && file.endsWith('.md') && !anchors(file).has(anchor)) broken.push(`${where}: no such heading`);
    }
  assert.deepEqual(broken, []);
  assert.ok(checked > 30, `only ${checked} links checked`);
});

test('every page of docs/ is linked from the README', () => {
  const linked = new Set(links(README).map((target) => target.split('#')[0]));
  const unlinked = PAGES.filter((page) => page.includes(`${join(ROOT, 'docs')}`))
    .map((page) => relative(ROOT, page))
    .filter((page) => !linked.has(page));
  assert.deepEqual(unlinked, []);
});
