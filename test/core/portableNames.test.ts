import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeProblems, pathProblems, portabilityProblems, quote } from '../../src/artifact/portableNames';
import { extractsIdentically, type Desktop } from '../support/desktopFileSystem';

// The rule follows golang.org/x/mod module.CheckFilePath and zip.CheckFiles (module/module.go,
// zip/zip.go at 5d307ac8): Windows device names by the part before the first dot, no trailing dot,
// and no two paths (or parent folders) equal under case folding.

const refusedBecause = (path: string, pattern: RegExp | string) => {
  const reasons = pathProblems(path);
  assert.ok(
    reasons.some((r) => (typeof pattern === 'string' ? r.includes(pattern) : pattern.test(r))),
    `${quote(path)} should be refused (${pattern}); got ${JSON.stringify(reasons)}`,
  );
};

describe('portable names: one path at a time', () => {
  test('ordinary manifest, chart and module names are accepted', () => {
    for (const path of [
      'kustomization.yaml',
      'apps/podinfo/deployment.yaml',
      'charts/redis/templates/_helpers.tpl',
      '.helmignore',
      'templates/NOTES.txt',
      "it's (v2) [draft] #1 & more!.yaml",
      'a b/c d.yaml',
      'config;prod.yaml',
      'résumé/naïve-ñ-日本語-😀.yaml',
      'console.yaml',
      'auxiliary/com10.yaml',
      'lpt/CONFIG.yaml',
      'x'.repeat(255),
    ])
      assert.deepEqual(pathProblems(path), [], path);
  });

  test('Windows device names are refused with or without an extension, in any case, in any folder', () => {
    for (const path of ['CON', 'CON.yaml', 'con.yaml', 'Prn.txt', 'aux.tar.gz', 'NUL', 'COM1.yaml', 'com9', 'LPT1', 'lpt9.log'])
      refusedBecause(path, /a Windows device name/);
    refusedBecause('x/aux', /"aux" is a Windows device name \(AUX\)/);
    refusedBecause('CON/deploy.yaml', /"CON" is a Windows device name/);
  });

  test('the device names Go does not list are refused too: COM0, superscript ports, console handles, a space before the dot', () => {
    for (const path of ['COM0.yaml', 'lpt0', 'COM¹.yaml', 'LPT³', 'CONIN$', 'conout$.txt', 'CON .yaml'])
      refusedBecause(path, /a Windows device name/);
  });

  test('the characters Windows forbids are refused, each named', () => {
    for (const char of [':', '*', '?', '"', '<', '>', '|', '\\'])
      refusedBecause(`a${char}b.yaml`, `a name with ${JSON.stringify(char)}, which Windows forbids`);
    refusedBecause('c:d.yaml', /":", which Windows forbids/);
  });

  test('control characters are refused: ESC, BEL and a newline (a Tekton resource name) are named by code point', () => {
    const reasons = pathProblems('task/evil\u001b[31m\u0007\n.yaml');
    assert.equal(reasons.length, 1);
    assert.match(reasons[0], /unprintable character U\+001B/);
    assert.match(reasons[0], /^"evil\\u\{1b\}\[31m\\u\{7\}\\u\{a\}\.yaml" is/);
    for (const char of ['\u0000', '\t', '\r', '\u007f', '\u0085']) refusedBecause(`a${char}b`, /unprintable character/);
  });

  test('invisible and direction-changing characters are refused: bidi override, zero-width space, no-break space, line separator', () => {
    for (const char of ['\u202e', '\u200b', '\u00a0', '\u2028', '\ufeff', '\ue000'])
      refusedBecause(`a${char}b.yaml`, /unprintable character/);
    refusedBecause('lone\ud800.yaml', /unprintable character U\+D800/);
  });

  test('a trailing dot or space is refused (Windows strips it), a leading one is not', () => {
    refusedBecause('trail. ', /ending in a dot or space/);
    refusedBecause('trail.', /ending in a dot or space/);
    refusedBecause('dir /x.yaml', /"dir " is a name ending in a dot or space/);
    assert.deepEqual(pathProblems(' lead.yaml'), []);
    assert.deepEqual(pathProblems('.lead.yaml'), []);
  });

  test('a name over 255 bytes of UTF-8 is refused, counted in bytes not characters', () => {
    refusedBecause('x'.repeat(256), /256 bytes, longer than the 255/);
    refusedBecause('é'.repeat(128), /256 bytes/);
    assert.deepEqual(pathProblems('é'.repeat(127)), []);
  });

  test('a path over 1024 bytes is refused even when every name is short', () => {
    const path = Array.from({ length: 6 }, () => 'd'.repeat(200)).join('/');
    refusedBecause(path, /a path of 1205 bytes, longer than the 1024 macOS allows/);
    assert.deepEqual(pathProblems(Array.from({ length: 5 }, () => 'd'.repeat(200)).join('/')), []);
  });

  test('empty, "." and ".." names are refused', () => {
    for (const path of ['a//b', './a', 'a/..', '']) refusedBecause(path, /not a name/);
  });
});

describe('portable names: the set of paths', () => {
  test('two names that differ only in case are one file on macOS and Windows', () => {
    const problems = portabilityProblems(['app.yaml', 'App.yaml']);
    assert.deepEqual(problems, [{ path: 'app.yaml', reason: 'the same name as "App.yaml" but for case (one file on macOS and Windows)' }]);
  });

  test('composed and decomposed é are one file on macOS', () => {
    const [problem, ...rest] = portabilityProblems(['caf\u00e9.yaml', 'cafe\u0301.yaml']);
    assert.equal(rest.length, 0);
    assert.match(problem.reason, /another Unicode normalisation \(composed here, decomposed there: one file on macOS\)/);
  });

  test('folders that differ only in case merge, so their files are refused too', () => {
    const problems = portabilityProblems(['Apps/a.yaml', 'apps/b.yaml']);
    assert.deepEqual(
      problems.map((p) => p.path),
      ['apps'],
    );
  });

  test('case folding covers letters beyond ASCII', () => {
    assert.equal(portabilityProblems(['ΣΊΣΥΦΟΣ.yaml', 'σίσυφος.yaml']).length, 1);
    assert.equal(portabilityProblems(['STRASSE', 'straße']).length, 1);
  });

  test('distinct names and the same folder named twice are accepted', () => {
    assert.deepEqual(portabilityProblems(['apps/a.yaml', 'apps/b.yaml', 'apps', 'base/a.yaml', 'a.yml']), []);
  });

  test('every offending entry is named with its reason, in one message', () => {
    const problems = portabilityProblems(['App.yaml', 'app.yaml', 'CON.yaml', 'c:d.yaml', 'x/aux', 'trail. ', 'ok.yaml']);
    const message = describeProblems(problems);
    for (const expected of [
      '"CON.yaml": a Windows device name (CON)',
      '"c:d.yaml": a name with ":", which Windows forbids',
      '"x/aux": "aux" is a Windows device name (AUX)',
      '"trail. ": a name ending in a dot or space',
      '"app.yaml": the same name as "App.yaml" but for case',
    ])
      assert.ok(message.includes(expected), `${expected} in ${message}`);
    assert.ok(!message.includes('ok.yaml'));
  });

  test('a long list is cut after twenty, saying how many more', () => {
    const message = describeProblems(portabilityProblems(Array.from({ length: 25 }, (_, i) => `f${i}.`)));
    assert.match(message, /; and 5 more$/);
  });
});

describe('portable names on a simulated case-insensitive desktop file system', () => {
  const DESKTOPS: Desktop[] = ['macos', 'windows'];
  const NAMES = [
    'app.yaml',
    'App.yaml',
    'APP.YAML',
    'CON.yaml',
    'con',
    'c:d.yaml',
    'c',
    'x/aux',
    'x/aux.yaml',
    'trail. ',
    'trail',
    'trail.',
    'caf\u00e9.yaml',
    'cafe\u0301.yaml',
    'Apps/a.yaml',
    'apps/a.yaml',
    'apps/b.yaml',
    'r\u00e9sum\u00e9/a.yaml',
    'task/lint\u001b\u0007\n.yaml',
    'task/lint.yaml',
    "it's.yaml",
  ];
  const files = (paths: string[]) => new Map(paths.map((path, i) => [path, Buffer.from(`file ${i}\n`)]));

  test('every pair of names the rule accepts comes back file for file on macOS and on Windows', () => {
    let accepted = 0;
    for (const a of NAMES)
      for (const b of NAMES) {
        if (a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`) || portabilityProblems([a, b]).length > 0) continue;
        accepted++;
        for (const desktop of DESKTOPS) assert.ok(extractsIdentically(files([a, b]), desktop), `${quote(a)} and ${quote(b)} on ${desktop}`);
      }
    assert.ok(accepted > 50, `${accepted} pairs accepted`);
  });

  test("each of the issue's refused artifacts loses or replaces a file on a desktop", () => {
    for (const paths of [
      ['App.yaml', 'app.yaml'],
      ['CON.yaml'],
      ['c:d.yaml', 'c'],
      ['x/aux'],
      ['trail. ', 'trail'],
      ['caf\u00e9.yaml', 'cafe\u0301.yaml'],
    ]) {
      assert.ok(portabilityProblems(paths).length > 0, quote(paths.join(', ')));
      assert.ok(
        DESKTOPS.some((desktop) => !extractsIdentically(files(paths), desktop)),
        `${paths.map(quote).join(', ')} should lose a file somewhere`,
      );
    }
  });
});
