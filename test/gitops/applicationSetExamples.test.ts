import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import type { Finding } from '../../src/gitops/validateFiles';
import { cli } from '../support/cli';

// Argo CD's own ApplicationSets: applicationset/examples and the docs' code blocks, vendored with
// their provenance (test/fixtures/applicationsets/PROVENANCE.md).
const EXAMPLES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'applicationsets');

/** The findings on the examples that hold a real mistake, file by file, and why each is one. */
const MISTAKES: { files: Record<string, string[]>; why: string }[] = [
  {
    files: {
      'argo-cd/examples/design-doc/applicationset-fasttemplate.yaml': ['15 ARGO001'],
      'argo-cd/examples/design-doc/applicationset.yaml': ['17 ARGO001'],
      'argo-cd/examples/design-doc/clusters.yaml': ['22 APPSET014', '24 APPSET014', '26 APPSET014', '32 APPSET014'],
      'argo-cd/examples/design-doc/git-directory-discovery-fasttemplate.yaml': ['37 ARGO001', '30 SCHEMA'],
      'argo-cd/examples/design-doc/git-directory-discovery.yaml': ['39 ARGO001', '32 SCHEMA'],
      'argo-cd/examples/design-doc/git-files-discovery-fasttemplate.yaml': ['48 ARGO001', '41 SCHEMA'],
      'argo-cd/examples/design-doc/git-files-discovery.yaml': ['50 ARGO001', '43 SCHEMA'],
      'argo-cd/examples/design-doc/git-files-literal-fasttemplate.yaml': ['61 ARGO001', '54 SCHEMA'],
      'argo-cd/examples/design-doc/git-files-literal.yaml': ['63 ARGO001', '56 SCHEMA'],
      'argo-cd/examples/design-doc/proposal/filters.yaml': ['37 ARGO001', '14 SCHEMA', '28 SCHEMA', '32 SCHEMA'],
    },
    why: "the design document predates the CRD: templates without spec.project and git generators without revision, both required by the CRD's schema (the API server refuses them), a proposed git `filters` field that was never added, and Go template actions ({{.name}}) from before goTemplate existed, which the plain substitution leaves as written",
  },
  {
    files: {
      'argo-cd/examples/matrix/matrix-and-union-in-matrix-fasttemplate.yaml': ['18 APPSET001'],
      'argo-cd/examples/matrix/matrix-and-union-in-matrix.yaml': ['20 APPSET001'],
    },
    why: 'Argo CD has no `union` generator: inside a matrix it is dropped, and the child is left with no generator ("child generator generated no parameters", applicationset/generators/matrix.go)',
  },
  {
    files: { 'argo-cd/docs/Appset-Any-Namespace.L177.yaml': ['18 ARGO001', '18 ARGO004', '10 SCHEMA'] },
    why: 'spec.generators is written as a map holding `list` (it is a list of generators), and the template has neither destination nor source',
  },
  {
    files: { 'argo-cd/docs/Template.L92.yaml': ['24 APPSET014', '33 APPSET014', '19 APPSET014'] },
    why: 'Go template actions ({{ .nameNormalized }}, {{ .server }}) without goTemplate: true: the plain substitution leaves them as written, so the Application would be named "{{ .nameNormalized }}-guestbook"',
  },
  {
    files: { 'argo-cd/docs/Generators-Plugin.L28.yaml': ['37 YAML001'] },
    why: 'line 37 nests double quotes inside a double-quoted string ("{{ index … "key1" }}"), which is not YAML',
  },
];

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return entry.name.endsWith('.yaml') ? [path] : [];
  });
}

describe("oci-gitops validate on Argo CD's own ApplicationSets", () => {
  test('the examples and the docs ApplicationSets get no finding, but for the real mistakes listed with why', async () => {
    const result = await cli(['validate', '--format', 'json', EXAMPLES]);
    const findings = JSON.parse(result.stdout) as Finding[];
    const got: Record<string, string[]> = {};
    for (const f of findings) (got[relative(EXAMPLES, f.file)] ??= []).push(`${f.line} ${f.code}`);
    const expected = Object.assign({}, ...MISTAKES.map((m) => m.files)) as Record<string, string[]>;
    assert.deepEqual(got, expected, findings.map((f) => `${relative(EXAMPLES, f.file)}:${f.line} ${f.code} ${f.message}`).join('\n'));
    const files = yamlFiles(EXAMPLES).length;
    assert.equal(
      result.stderr.trim().split('\n')[0],
      `${files} YAML files read, ${files} with Flux or Argo CD kinds checked: 31 errors, 0 other findings`,
    );
  });

  test('every vendored example is an ApplicationSet, so each one above was checked as one', () => {
    const others = yamlFiles(EXAMPLES).filter((file) => !/^kind: ApplicationSet\r?$/m.test(readFileSync(file, 'utf8')));
    assert.deepEqual(others, []);
  });
});
