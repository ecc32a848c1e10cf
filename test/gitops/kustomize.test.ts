import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { parseDocument } from 'yaml';
import { validateYaml } from '../support/validateYaml';
import { kustomizationEntries, KustomizeIndex } from '../../src/gitops/kustomize/kustomizeIndex';
import { looksPartial } from '../../src/gitops/kustomize/partialObjects';
import { GitOpsValidator } from '../../src/gitops/validator';

const root = resolve('/fleet');

// fluxcd/flux2-kustomize-helm-example apps/production/podinfo-values.yaml: a patch listed under
// `patches:` in the kustomization.yaml beside it.
const PODINFO_VALUES = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: podinfo
spec:
  chart:
    spec:
      version: ">=1.0.0"
  values:
    httpRoute:
      hostnames:
        - podinfo.production
`;

// fluxcd/flux2-multi-tenancy tenants/staging/dev-team-patch.yaml.
const TENANT_PATCH = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: dev-team
  namespace: apps
spec:
  path: ./staging
`;

describe('reading kustomizations', () => {
  test('patches (path), patchesStrategicMerge and patchesJson6902 name patch files; resources and bases name whole objects', () => {
    const text = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../base/podinfo
  - namespace.yaml
  - https://github.com/org/repo//deploy?ref=v1
bases: [../legacy]
patches:
  - path: podinfo-values.yaml
    target:
      kind: HelmRelease
  - patch: |-
      - op: replace
        path: /spec/interval
        value: 1h
    target:
      kind: Kustomization
patchesStrategicMerge:
  - sync-patch.yaml
  - |-
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: inline
patchesJson6902:
  - target: { kind: Deployment, name: web }
    path: json-patch.yaml
`;
    const entries = kustomizationEntries(join(root, 'apps', 'production', 'kustomization.yaml'), text);
    assert.deepEqual(
      entries.patches,
      ['podinfo-values.yaml', 'sync-patch.yaml', 'json-patch.yaml'].map((f) => join(root, 'apps', 'production', f)),
    );
    assert.deepEqual(entries.resources, [
      join(root, 'apps', 'base', 'podinfo'),
      join(root, 'apps', 'production', 'namespace.yaml'),
      join(root, 'apps', 'legacy'),
    ]);
  });

  test('a kustomize Component names its patches the same way', () => {
    const component = 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - path: monitoring-patch.yaml\n';
    assert.deepEqual(kustomizationEntries(join(root, 'components', 'monitoring', 'kustomization.yaml'), component).patches, [
      join(root, 'components', 'monitoring', 'monitoring-patch.yaml'),
    ]);
  });

  test('a Flux Kustomization saved as kustomization.yaml, and a file that is not YAML, name nothing', () => {
    const flux = 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nspec:\n  patches:\n    - path: x.yaml\n';
    assert.deepEqual(kustomizationEntries(join(root, 'kustomization.yaml'), flux), { patches: [], resources: [] });
    assert.deepEqual(kustomizationEntries(join(root, 'kustomization.yaml'), ']]] not yaml'), { patches: [], resources: [] });
  });

  test('the index gives each file its role; a file named both as a resource and as a patch is whole', () => {
    const index = new KustomizeIndex();
    index.add(join(root, 'a', 'kustomization.yaml'), 'resources: [web.yaml, both.yaml]\npatches:\n  - path: patch.yaml\n');
    index.add(join(root, 'b', 'kustomization.yaml'), 'patchesStrategicMerge: [../a/both.yaml]\n');
    assert.equal(index.roleOf(join(root, 'a', 'patch.yaml')), 'patch');
    assert.equal(index.roleOf(join(root, 'a', 'web.yaml')), 'resource');
    assert.equal(index.roleOf(join(root, 'a', 'both.yaml')), 'resource');
    assert.equal(index.roleOf(join(root, 'a', 'other.yaml')), undefined);
  });

  test('the kustomizations around a file are found in its folder and the folders above it, and each is read once', () => {
    const files: Record<string, string> = {
      [join(root, 'tenants', 'staging', 'kustomization.yaml')]: 'patches:\n  - path: dev-team-patch.yaml\n',
      [join(root, 'tenants', 'Kustomization')]: 'patchesStrategicMerge: [production/dev-team-patch.yaml]\n',
    };
    const reads: string[] = [];
    const index = new KustomizeIndex();
    const read = (path: string) => {
      reads.push(path);
      return files[path];
    };
    index.addAround(join(root, 'tenants', 'staging', 'dev-team-patch.yaml'), read);
    index.addAround(join(root, 'tenants', 'production', 'dev-team-patch.yaml'), read);
    assert.equal(index.roleOf(join(root, 'tenants', 'staging', 'dev-team-patch.yaml')), 'patch');
    assert.equal(index.roleOf(join(root, 'tenants', 'production', 'dev-team-patch.yaml')), 'patch');
    assert.equal(reads.filter((r) => r === join(root, 'tenants', 'Kustomization')).length, 1);
  });
});

describe('patches are checked as partial objects', () => {
  const validator = new GitOpsValidator();

  test('a HelmRelease values patch named by a kustomization gets no finding for interval, chart or sourceRef', async () => {
    assert.deepEqual(await validator.validate(PODINFO_VALUES, new Map(), undefined, 'patch'), []);
    assert.deepEqual(validateYaml(PODINFO_VALUES, new Map(), 'patch'), []);
  });

  test('the same file named as a resource is a whole object, and what it lacks is an error', async () => {
    const codes = (await validator.validate(PODINFO_VALUES, new Map(), undefined, 'resource')).map((d) => d.code).sort();
    assert.deepEqual(codes, ['FLUX001', 'SCHEMA', 'SCHEMA']);
  });

  test('a patch is still checked for misspelt fields, types, enums, patterns and the form of what it sets', async () => {
    const text = `${PODINFO_VALUES}  valuez: {}\n  maxHistory: ten\n  driftDetection:\n    mode: sometimes\n  timeout: 5 minutes\n`;
    const found = (await validator.validate(text, new Map(), undefined, 'patch')).map((d) => `${d.code} ${text.slice(d.start, d.end)}`);
    assert.deepEqual(found.sort(), ['SCHEMA 5 minutes', 'SCHEMA sometimes', 'SCHEMA ten', 'SCHEMA valuez']);
    const source =
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: app\nspec:\n  url: oci://ghcr.io/org/app:1.2.3\n';
    assert.deepEqual(
      (await validator.validate(source, new Map(), undefined, 'patch')).map((d) => d.code),
      ['OCI004'],
      'a tag in the url is wrong in a patch too',
    );
    assert.deepEqual(
      (
        await validator.validate(
          TENANT_PATCH.replace('path: ./staging', 'path: ./staging\n  sourceRef:\n    kind: OciRepository'),
          new Map(),
          undefined,
          'patch',
        )
      ).map((d) => d.code),
      ['FLUX004'],
    );
  });

  test('a patch does not resolve its sourceRef: the namespace may come from the object it patches', async () => {
    const text = TENANT_PATCH.replace('path: ./staging', 'path: ./staging\n  sourceRef:\n    kind: OCIRepository\n    name: elsewhere');
    assert.deepEqual(await validator.validate(text, new Map(), undefined, 'patch'), []);
  });

  test('without a kustomization to ask, documents that are obviously partial are taken for patches', async () => {
    assert.equal(looksPartial(parseDocument(PODINFO_VALUES).contents), true, 'no interval, chart or chartRef: only values');
    assert.equal(looksPartial(parseDocument(TENANT_PATCH).contents), true, 'no interval, prune or sourceRef');
    assert.equal(
      looksPartial(
        parseDocument('apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\n  annotations:\n    team: x\n').contents,
      ),
      true,
      'no spec at all: a metadata patch',
    );
    const directive =
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: app\nspec:\n  interval: 5m\n  verify:\n    $patch: delete\n';
    assert.equal(looksPartial(parseDocument(directive).contents), true, 'a strategic merge directive');
    for (const text of [PODINFO_VALUES, TENANT_PATCH, directive]) assert.deepEqual(await validator.validate(text, new Map()), [], text);
  });

  test('a whole object that misses one required field is not taken for a patch', async () => {
    const release =
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: a\nspec:\n  chartRef:\n    kind: OCIRepository\n    name: a\n';
    assert.equal(looksPartial(parseDocument(release).contents), false);
    assert.deepEqual(
      (await validator.validate(release)).map((d) => d.code),
      ['FLUX001'],
    );
  });
});
