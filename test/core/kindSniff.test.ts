import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { mayHoldOurKinds, OUR_API_GROUPS, sniffKind } from '../../src/gitops/kindSniff';
import { isOurKind, kindSchemas } from '../../src/gitops/kinds';

test('a Flux or Argo CD apiVersion anywhere in the file marks it as ours', () => {
  assert.equal(mayHoldOurKinds('apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\n'), true);
  assert.equal(mayHoldOurKinds('kind: ConfigMap\n---\n"apiVersion": "argoproj.io/v1alpha1"\nkind: Application\n'), true);
  assert.equal(mayHoldOurKinds('items:\n  - apiVersion: helm.toolkit.fluxcd.io/v2\n    kind: HelmRelease\n'), true);
});

test('Flux Operator and Flux 2.7 source-watcher files are ours too', () => {
  assert.equal(mayHoldOurKinds('apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\n'), true);
  assert.equal(mayHoldOurKinds('apiVersion: source.extensions.fluxcd.io/v1beta1\nkind: ArtifactGenerator\n'), true);
});

test('plain Kubernetes and non-Kubernetes YAML is not ours', () => {
  assert.equal(mayHoldOurKinds('apiVersion: apps/v1\nkind: Deployment\n'), false);
  assert.equal(mayHoldOurKinds('name: ci\non: push\n'), false);
  assert.equal(mayHoldOurKinds('# apiVersion: argoproj.io/v1alpha1 mentioned in prose\napiVersion: v1\n'), false);
  assert.equal(mayHoldOurKinds('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n'), false);
});

// An image volume (kubernetes/website content/en/docs/concepts/storage/volumes.md, "image"):
// `volumes[].image` is a map with reference and pullPolicy, where a container's image is a string.
const withImageVolume = (apiVersion: string, kind: string, image: string) =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx:1.27\n      volumes:\n        - name: artifact\n${image}`;

test('a Pod, apps/v1 or batch/v1 workload is ours only when it has an image volume source, in block or flow style', () => {
  const block = '          image:\n            reference: ghcr.io/org/config:1.0.0\n';
  assert.equal(mayHoldOurKinds(withImageVolume('apps/v1', 'Deployment', block)), true);
  assert.equal(mayHoldOurKinds(withImageVolume('batch/v1', 'CronJob', block)), true);
  assert.equal(
    mayHoldOurKinds(withImageVolume('"v1"', 'Pod', '          image:\n            # pinned by CI\n            pullPolicy: Always\n')),
    true,
  );
  assert.equal(mayHoldOurKinds(withImageVolume('v1', 'Pod', '          image: {reference: ghcr.io/org/config:1.0.0}\n')), true);
  assert.equal(mayHoldOurKinds(withImageVolume('apps/v1', 'Deployment', '          emptyDir: {}\n')), false, 'containers only');
  assert.equal(mayHoldOurKinds(withImageVolume('apps/v1', 'Deployment', '          image: ghcr.io/org/config:1.0.0\n')), false);
  assert.equal(mayHoldOurKinds(withImageVolume('apps/v1beta1', 'Deployment', block)), false, 'not an API version we read');
  assert.equal(mayHoldOurKinds(withImageVolume('networking.k8s.io/v1', 'Ingress', block)), false);
});

test('a Pod or workload is ours by its content, never by group and kind alone, nor while its kind is typed', () => {
  const text = withImageVolume('apps/v1', 'Deployment', '          image:\n            reference: ghcr.io/org/config:1.0.0\n');
  assert.equal(isOurKind('apps/v1', 'Deployment'), false);
  assert.equal(isOurKind('apps/v1', 'Deployment', text), true);
  assert.equal(isOurKind('apps/v1', 'Deployment', parseAllDocuments(text)[0].contents as never), true);
  assert.equal(isOurKind('apps/v1', 'Deployment', withImageVolume('apps/v1', 'Deployment', '          emptyDir: {}\n')), false);
  assert.equal(isOurKind('v1', 'ConfigMap', text), false);
  assert.equal(isOurKind('v1', undefined, text), false);
});

test('a document is ours by group and kind: Applications and ApplicationSets are, Argo Rollouts and kustomize Kustomizations are not', () => {
  assert.equal(isOurKind('argoproj.io/v1alpha1', 'Application'), true);
  assert.equal(isOurKind('argoproj.io/v1alpha1', 'Rollout'), false);
  assert.equal(isOurKind('argoproj.io/v1alpha1', 'ApplicationSet'), true);
  assert.equal(isOurKind('kustomize.config.k8s.io/v1beta1', 'Kustomization'), false);
  assert.equal(isOurKind('kustomize.toolkit.fluxcd.io/v1', 'Kustomization'), true);
  assert.equal(isOurKind('fluxcd.controlplane.io/v1', undefined), true, 'the kind is still being typed');
  assert.deepEqual(sniffKind('# c\napiVersion: "fluxcd.controlplane.io/v1"\nkind: FluxInstance\nspec:\n  kind: x\n'), {
    apiVersion: 'fluxcd.controlplane.io/v1',
    kind: 'FluxInstance',
  });
});

test('every kind we have a schema for is ours, and every group we sniff is the group of an upstream CRD', () => {
  for (const s of kindSchemas) assert.ok(isOurKind(s.apiVersion, s.kind), `${s.apiVersion} ${s.kind}`);
  const crds = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'crds');
  const groups = new Set(
    [
      'source.toolkit.fluxcd.io_ocirepositories.yaml',
      'source.toolkit.fluxcd.io_externalartifacts.yaml',
      'kustomize.toolkit.fluxcd.io_kustomizations.yaml',
      'helm.toolkit.fluxcd.io_helmreleases.yaml',
      'source.extensions.fluxcd.io_artifactgenerators.yaml',
      'fluxcd.controlplane.io_fluxinstances.yaml',
      'fluxcd.controlplane.io_resourcesets.yaml',
      'argoproj.io_applications.yaml',
    ].map(
      (file) =>
        parseAllDocuments(readFileSync(join(crds, file), 'utf8'))
          .map((d) => d.toJS())
          .find((d) => d?.kind === 'CustomResourceDefinition').spec.group as string,
    ),
  );
  assert.deepEqual([...groups].sort(), [...OUR_API_GROUPS].sort());
});
