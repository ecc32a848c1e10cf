import { parseReference } from '../../../src/oci';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { RegistryFacts } from '../../../src/gitops/completion/registryFacts';
import { completeValuesKeys, sourceDocuments } from '../../../src/gitops/kindQueries';
import { ancestorsAt } from '../../../src/gitops/completion/valuesCompletion';
import type { OciClient } from '../../../src/oci';
import { pushHelmChart } from '../../support/helmChart';
import { useRegistry } from '../../support/useRegistry';

function at(textWithCursor: string): [string, number] {
  const offset = textWithCursor.indexOf('|');
  return [textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1), offset];
}

const VALUES_6_4 = `# Number of pods
replicaCount: 1
image:
  repository: ghcr.io/stefanprodan/podinfo
  tag: 6.4.0
ui:
  color: "#34577c"
`;

const VALUES_6_5 = `${VALUES_6_4}# Added in 6.5
ingress:
  enabled: false
  hosts:
    - host: podinfo.local
      paths:
        - path: /
          pathType: ImplementationSpecific
    - host: other.local
      # A second item may show keys the first leaves out.
      tls: true
`;

test('the keys above a line are read by indentation, list items as -', () => {
  const text = 'spec:\n  sources:\n    - repoURL: x\n      helm:\n        valuesObject:\n          image:\n            ';
  assert.deepEqual(ancestorsAt(text, text.length, 12), ['spec', 'sources', '-', 'helm', 'valuesObject', 'image']);
});

describe('values.yaml keys completion against CNCF Distribution', () => {
  const ctx = useRegistry({ auth: 'none' });
  let facts: RegistryFacts;
  let access: { repository(ref: Parameters<OciClient['repository']>[0]): ReturnType<OciClient['repository']> };

  before(async () => {
    const repo = ctx.client.repository(parseReference(`${ctx.registry.host}/charts/podinfo`));
    await pushHelmChart(repo, { name: 'podinfo', version: '6.4.0', values: VALUES_6_4 });
    await pushHelmChart(repo, { name: 'podinfo', version: '6.5.0', values: VALUES_6_5 });
    access = { repository: (ref) => ctx.client.repository(ref) };
    facts = new RegistryFacts({ ...access, catalog: async () => [] });
  });

  const application = (revision: string, inside: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: podinfo
spec:
  project: default
  source:
    repoURL: ${ctx.registry.host}/charts
    chart: podinfo
    targetRevision: "${revision}"
    helm:
      valuesObject:
${inside}
  destination:
    server: https://kubernetes.default.svc
`;

  test('helm.valuesObject of an Argo CD Helm-OCI source offers the top keys of the resolved version, with defaults and comments', async () => {
    const answer = await completeValuesKeys(...at(application('^6', '        |')), facts, access);
    assert.equal(answer?.chart, `${ctx.registry.host}/charts/podinfo:6.5.0`);
    assert.deepEqual(
      answer.keys.map((k) => k.key),
      ['replicaCount', 'image', 'ui', 'ingress'],
    );
    assert.deepEqual(answer.keys[0], { key: 'replicaCount', preview: '1', comment: 'Number of pods' });
  });

  test('the keys follow the pinned version: 6.4.0 has no ingress', async () => {
    const answer = await completeValuesKeys(...at(application('6.4.0', '        |')), facts, access);
    assert.deepEqual(
      answer?.keys.map((k) => k.key),
      ['replicaCount', 'image', 'ui'],
    );
  });

  test('under a nested key, its own keys; a half-typed key is what the choice replaces', async () => {
    const [text, offset] = at(application('6.5.0', '        image:\n          rep|'));
    const answer = await completeValuesKeys(text, offset, facts, access);
    assert.deepEqual(
      answer?.keys.map((k) => k.key),
      ['repository', 'tag'],
    );
    assert.equal(text.slice(answer.start, answer.end), 'rep');
  });

  test('spec.values of a HelmRelease whose chartRef names an OCIRepository in the same file offers its chart keys', async () => {
    const text = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: podinfo
  namespace: apps
spec:
  interval: 10m
  url: oci://${ctx.registry.host}/charts/podinfo
  ref:
    semver: "6.4.x"
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: apps
spec:
  interval: 10m
  chartRef:
    kind: OCIRepository
    name: podinfo
  values:
    ui:
      |
`;
    const answer = await completeValuesKeys(...at(text), facts, access);
    assert.equal(answer?.chart, `${ctx.registry.host}/charts/podinfo:6.4.0`);
    assert.deepEqual(
      answer.keys.map((k) => k.key),
      ['color'],
    );
  });

  test('spec.values completes when the chartRef’s OCIRepository is declared in another workspace file', async () => {
    const repositoryFile = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: podinfo
  namespace: apps
spec:
  interval: 10m
  url: oci://${ctx.registry.host}/charts/podinfo
  ref:
    tag: "6.5.0"
`;
    const releaseFile = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: apps
spec:
  interval: 10m
  chartRef:
    kind: OCIRepository
    name: podinfo
  values:
    |
`;
    assert.equal(await completeValuesKeys(...at(releaseFile), facts, access), undefined, 'alone, the chart is unknown');
    const answer = await completeValuesKeys(...at(releaseFile), facts, access, sourceDocuments(repositoryFile));
    assert.equal(answer?.chart, `${ctx.registry.host}/charts/podinfo:6.5.0`);
    assert.ok(answer.keys.some((k) => k.key === 'ingress'));
  });

  test('inside a list item, the keys of the default list’s items, each once, in the chart’s order', async () => {
    const next = await completeValuesKeys(
      ...at(application('6.5.0', '        ingress:\n          hosts:\n            - host: web.example.com\n              |')),
      facts,
      access,
    );
    assert.deepEqual(
      next?.keys.map((k) => k.key),
      ['host', 'paths', 'tls'],
    );
    assert.equal(next.keys[2].comment, 'A second item may show keys the first leaves out.');
  });

  test('right after the dash of a new list item, and in a list nested in an item, the item keys too', async () => {
    const [text, offset] = at(application('6.5.0', '        ingress:\n          hosts:\n            - pa|'));
    const first = await completeValuesKeys(text, offset, facts, access);
    assert.deepEqual(
      first?.keys.map((k) => k.key),
      ['host', 'paths', 'tls'],
    );
    assert.equal(text.slice(first.start, first.end), 'pa', 'the choice replaces what is typed after the dash');
    const nested = await completeValuesKeys(
      ...at(application('6.5.0', '        ingress:\n          hosts:\n            - host: a\n              paths:\n                - |')),
      facts,
      access,
    );
    assert.deepEqual(
      nested?.keys.map((k) => k.key),
      ['path', 'pathType'],
    );
  });

  test('outside a values map there is no values answer', async () => {
    assert.equal(
      await completeValuesKeys(...at(application('6.5.0', '        replicaCount: 2').replace('  project: default', '  |')), facts, access),
      undefined,
    );
  });
});
