import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mayHoldOurKinds } from '../../src/gitops/kindSniff';

test('a Flux or Argo CD apiVersion anywhere in the file marks it as ours', () => {
  assert.equal(mayHoldOurKinds('apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\n'), true);
  assert.equal(mayHoldOurKinds('kind: ConfigMap\n---\n"apiVersion": "argoproj.io/v1alpha1"\nkind: Application\n'), true);
  assert.equal(mayHoldOurKinds('items:\n  - apiVersion: helm.toolkit.fluxcd.io/v2\n    kind: HelmRelease\n'), true);
});

test('plain Kubernetes and non-Kubernetes YAML is not ours', () => {
  assert.equal(mayHoldOurKinds('apiVersion: apps/v1\nkind: Deployment\n'), false);
  assert.equal(mayHoldOurKinds('name: ci\non: push\n'), false);
  assert.equal(mayHoldOurKinds('# apiVersion: argoproj.io/v1alpha1 mentioned in prose\napiVersion: v1\n'), false);
});
