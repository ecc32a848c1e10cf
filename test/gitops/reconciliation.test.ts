import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { GitOpsValidator } from '../../src/gitops/validator';
import { cli } from '../support/cli';
import { makeFolder } from '../support/folders';

/**
 * Two fleets shaped like the ones users run (test/fixtures/reconciliation/README.md):
 * home-fleet, a home-ops layout whose top Kustomization patches interval, prune and postBuild into
 * every child Kustomization (a labelSelector opts one out), with targetNamespace and kustomize
 * namespace setting where HelmReleases land; platform-fleet, a platform team's tenants with JSON
 * 6902 patches selected by annotation and a strategic merge patch that names its object.
 * Patch semantics: fluxcd/kustomize-controller (spec.patches are kustomize patches of the build)
 * and kustomize api/types/selector.go (target fields are anchored regular expressions).
 */
const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'reconciliation');

function read(fleet: string): Record<string, string> {
  const root = join(FIXTURES, fleet);
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(root, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return out;
}

describe('what reconciles a file decides how it is judged', () => {
  const folders: string[] = [];
  after(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

  /** The fleet with some files changed, validated by the CLI; its findings as `file:line code`. */
  async function validate(fleet: string, change: Record<string, (text: string) => string> = {}): Promise<string[]> {
    const files = read(fleet);
    for (const [path, edit] of Object.entries(change)) {
      const edited = edit(files[path]);
      assert.notEqual(edited, files[path], `the change to ${path} changes it`);
      files[path] = edited;
    }
    const folder = makeFolder(files, 'oci-gitops-fleet-');
    folders.push(folder);
    const result = await cli(['validate', '--format', 'json', folder]);
    return (JSON.parse(result.stdout) as { file: string; line: number; code: string }[]).map(
      (f) => `${relative(folder, f.file)}:${f.line} ${f.code}`,
    );
  }

  test('a home-ops fleet validates clean: parent patches, postBuild variables, targetNamespace and kustomize namespace', async () => {
    assert.deepEqual(await validate('home-fleet'), []);
    assert.deepEqual(await validate('platform-fleet'), []);
  });

  test('a child Kustomization gets interval and prune from its parent’s strategic merge patch', async () => {
    const found = await validate('home-fleet', {
      'clusters/main/cluster-apps.yaml': (t) => t.replace('          interval: 1h\n          prune: true\n', '          prune: true\n'),
    });
    // Without the interval in the patch, the children that rely on it lack it: the mistake is still caught.
    assert.deepEqual(found.sort(), [
      'kubernetes/apps/database/cloudnative-pg/ks.yaml:6 FLUX001',
      'kubernetes/apps/database/pgadmin/ks.yaml:6 FLUX001',
      'kubernetes/apps/observability/gatus/ks.yaml:6 FLUX001',
      'kubernetes/apps/observability/grafana/ks.yaml:7 FLUX001',
    ]);
  });

  test('a child that opts out with the labelSelector gets nothing from the patch', async () => {
    const found = await validate('home-fleet', {
      'kubernetes/apps/kube-system/cilium/ks.yaml': (t) => t.replace('  interval: 30m\n  prune: false\n', ''),
    });
    assert.deepEqual(found, [
      'kubernetes/apps/kube-system/cilium/ks.yaml:11 FLUX001',
      'kubernetes/apps/kube-system/cilium/ks.yaml:11 FLUX001',
    ]);
  });

  test('a JSON 6902 patch adds interval and prune to the Kustomizations its annotationSelector selects, and no others', async () => {
    const found = await validate('platform-fleet', {
      'tenants/production/team-b.yaml': (t) => t.replace('  interval: 30m\n  prune: false\n', ''),
    });
    assert.deepEqual(found, ['tenants/production/team-b.yaml:17 FLUX001', 'tenants/production/team-b.yaml:17 FLUX001']);
  });

  test('a strategic merge patch without a target applies to the object it names only', async () => {
    const patch = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: team-a
spec:
  interval: 5m
  prune: true
`;
    const tenant = (name: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: apps
spec:
  sourceRef:
    kind: OCIRepository
    name: ${name}
`;
    const validator = new GitOpsValidator();
    const appliedBy = { kustomization: 'flux-system/tenants', patches: [{ patch }], substitutes: false };
    assert.deepEqual(await validator.validate(tenant('team-a'), undefined, undefined, undefined, appliedBy), []);
    assert.deepEqual(
      (await validator.validate(tenant('team-c'), undefined, undefined, undefined, appliedBy)).map((d) => d.code),
      ['FLUX001', 'FLUX001'],
    );
  });

  test('postBuild variables are unknown values, not errors, where a substitution runs', async () => {
    const ocirepository = 'kubernetes/apps/database/cloudnative-pg/app/ocirepository.yaml';
    assert.deepEqual(await validate('home-fleet'), []);
    // Without postBuild on the Kustomization that applies it, ${REGISTRY} is what the cluster gets.
    const found = await validate('home-fleet', {
      'clusters/main/cluster-apps.yaml': (t) =>
        t.replace(
          '          postBuild:\n            substituteFrom:\n              - kind: ConfigMap\n                name: cluster-settings\n',
          '',
        ),
    });
    assert.ok(found.includes(`${ocirepository}:7 OCI005`), found.join('\n'));
  });

  test('targetNamespace puts a HelmRelease without a namespace where its OCIRepository is: no FLUX005', async () => {
    const found = await validate('home-fleet', {
      'kubernetes/apps/kube-system/cilium/ks.yaml': (t) => t.replace('  targetNamespace: kube-system\n', ''),
    });
    assert.deepEqual(found, ['kubernetes/apps/kube-system/cilium/app/helmrelease.yaml:10 FLUX005']);
  });

  test('a kustomization.yaml namespace puts a HelmRelease without a namespace in that namespace: no FLUX005', async () => {
    const found = await validate('home-fleet', {
      'kubernetes/apps/observability/grafana/app/kustomization.yaml': (t) => t.replace('namespace: observability\n', ''),
    });
    assert.deepEqual(found, ['kubernetes/apps/observability/grafana/app/helmrelease.yaml:24 FLUX005']);
  });

  test('a component included by several namespaces declares its source in each of them', async () => {
    const found = await validate('home-fleet', {
      'kubernetes/apps/observability/kustomization.yaml': (t) => t.replace('components:\n  - ../../components/common\n', ''),
    });
    assert.deepEqual(found, ['kubernetes/apps/observability/gatus/app/helmrelease.yaml:10 FLUX005']);
  });

  test('without a parent in the folder given, a ${variable} is no error either', async () => {
    const validator = new GitOpsValidator();
    const text = readFileSync(join(FIXTURES, 'home-fleet', 'kubernetes/apps/database/cloudnative-pg/app/ocirepository.yaml'), 'utf8');
    assert.deepEqual(await validator.validate(text, new Map()), []);
  });
});
