import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { cli } from '../support/cli';
import { makeFolder } from '../support/folders';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');

// A folder of Go-template boilerplate beside real manifests, as scaffolding repositories hold:
// its kustomization's keys are template actions, which the yaml library reads as flow maps.
const BOILERPLATE = {
  'templates/app/kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: {{ .namespace }}\nresources:\n  - {{ .name }}.yaml\n{{ .extra }}: true\n',
  'templates/app/values.yaml': 'image:\n  repository: [ghcr.io/org/app\n  tag: {{ .tag }}\n',
  'notes/broken.yaml': 'owners:\n  - alice\n  bob: [\n',
  'apps/podinfo/source.yaml':
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: podinfo\n  namespace: apps\nspec:\n  interval: 10m\n  url: oci://ghcr.io/stefanprodan/manifests/podinfo\n  ref:\n    tag: 6.7.0\n',
};

describe('files the tool cannot read as YAML', () => {
  const folder = makeFolder(BOILERPLATE, 'oci-gitops-unreadable-');
  after(() => rmSync(folder, { recursive: true, force: true }));

  test('are counted and named in the summary, with the line of the first error', async () => {
    const result = await cli(['validate', folder]);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^Not read as YAML: 1 file \(.*notes\/broken\.yaml: line 3: [^)]+\)/m);
    assert.match(result.stderr, /4 YAML files read, 1 with Flux or Argo CD kinds checked: 0 errors, 0 other findings/);
  });

  test("the yaml library's warnings never reach stderr: every line is one of ours", async () => {
    const { stderr } = await run(process.execPath, [CLI, 'validate', folder]);
    assert.doesNotMatch(stderr, /Warning|stringified|--trace-warnings/);
    for (const line of stderr.trim().split('\n')) assert.match(line, /^(\d+ YAML files? read|Not read as YAML|Skipped )/);
  });
});
