import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cli } from '../support/cli';
import { makeFolder } from '../support/folders';

interface Finding {
  file: string;
  line: number;
  severity: string;
  code: string;
  message: string;
}

const SOURCE =
  'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  interval: 5m\n  url: oci://ghcr.io/org/podinfo\n  ref:\n    tag: 1.0.0\n';

describe('oci-gitops validate on a repository with charts and kustomize overlays', () => {
  const folders: string[] = [];
  after(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

  function repository(files: Record<string, string>): string {
    const folder = makeFolder(files, 'oci-gitops-validate-');
    folders.push(folder);
    return folder;
  }

  const overlay = {
    'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
    'charts/web/values.yaml': 'replicaCount: 1\n',
    'charts/web/templates/deployment.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "web.fullname" . }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n',
    'charts/web/templates/release.yaml':
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\nspec:\n  values: {}\n',
    'generated/app.yaml':
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: {{ .name }}\nspec:\n{{- toYaml .spec | nindent 2 }}\n',
    'apps/base/podinfo/source.yaml': SOURCE,
    'apps/base/podinfo/release.yaml':
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: podinfo\n      sourceRef:\n        kind: HelmRepository\n        name: podinfo\n',
    'apps/base/podinfo/kustomization.yaml': 'resources:\n  - source.yaml\n  - release.yaml\n',
    'apps/production/kustomization.yaml':
      'resources:\n  - ../base/podinfo\npatches:\n  - path: podinfo-interval.yaml\n    target:\n      kind: HelmRelease\n',
    // Looks whole enough (it sets interval), so only the kustomization can tell it is a patch.
    'apps/production/podinfo-interval.yaml':
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  interval: 1h\n',
  };

  test('Helm templates are skipped and counted, patches named by a kustomization are partial: no findings, exit 0', async () => {
    const dir = repository(overlay);
    const result = await cli(['validate', dir]);
    assert.equal(result.stdout, '');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^10 YAML files read, 3 with Flux or Argo CD kinds checked: 0 errors, 0 other findings$/m);
    assert.match(
      result.stderr,
      /^Skipped 3 Helm templates \(2 in a chart's templates\/ folder, 1 with \{\{ \}\} template actions\): Helm renders them before they are YAML\./m,
    );
  });

  test('the same patch file named alone is still a patch: the kustomization beside it is read', async () => {
    const dir = repository(overlay);
    const result = await cli(['validate', '--format', 'json', join(dir, 'apps', 'production', 'podinfo-interval.yaml')]);
    assert.equal(result.code, 0, result.stdout);
    assert.deepEqual(JSON.parse(result.stdout), []);
  });

  test('a file that no kustomization names as a patch is a whole object, and what it lacks is an error', async () => {
    const dir = repository({
      ...overlay,
      'apps/production/kustomization.yaml': 'resources:\n  - ../base/podinfo\n  - podinfo-interval.yaml\n',
    });
    const result = await cli(['validate', '--format', 'json', dir]);
    assert.equal(result.code, 1);
    const findings = JSON.parse(result.stdout) as Finding[];
    assert.deepEqual(
      [...new Set(findings.map((f) => `${f.file.slice(dir.length + 1)} ${f.code}`))],
      ['apps/production/podinfo-interval.yaml FLUX003'],
    );
    assert.match(result.stderr, /Skipped 3 Helm templates/, 'the summary is on stderr in every format');
  });

  test('a file over 8 MiB that names our kinds fails with exit 1 and says why; one that names none is not ours', async () => {
    const documents = (count: number, doc: string) =>
      Array.from({ length: count }, (_, i) => doc.replace('name: podinfo', `name: podinfo-${i}`)).join('---\n');
    const big = documents(Math.ceil((9 * 1048576) / SOURCE.length), SOURCE);
    const configMaps = documents(
      Math.ceil((9 * 1048576) / 80),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: podinfo\ndata:\n  key: value-0123456789\n',
    );
    const dir = repository({ 'big/sources.yaml': big, 'other/config.yaml': configMaps });
    const failed = await cli(['validate', dir]);
    assert.equal(failed.code, 1);
    assert.equal(
      failed.stdout,
      `${join(dir, 'big', 'sources.yaml')}:1:1: error YAML002: Not validated: the file is over 8 MiB and names Flux or Argo CD kinds; split it into smaller files so they can be checked\n`,
    );
    const passed = await cli(['validate', join(dir, 'other')]);
    assert.equal(passed.code, 0, passed.stdout);
    assert.match(passed.stderr, /1 YAML file read, 0 with Flux or Argo CD kinds checked: 0 errors/);
  });
});
