import { parseReference } from '../../src/oci';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { validateYaml } from '../support/validateYaml';
import { LiveCache } from '../../src/gitops/live/liveCache';
import { checkLive } from '../../src/gitops/live/liveCheck';
import { pushHelmChart } from '../support/helmChart';
import { useRegistry } from '../support/useRegistry';

/**
 * Argo CD's Helm chart from an OCI registry, as its Helm user guide writes it
 * (argo-cd docs/user-guide/helm.md, "Helm OCI"): repoURL is `registry/path` without a scheme,
 * chart is the chart's name, targetRevision its version or a range (argo-cd util/versions/tags.go).
 */
const helmOci = (source: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: nginx
  namespace: argocd
spec:
  project: default
  source:
${source}
  destination:
    server: https://kubernetes.default.svc
    namespace: nginx
`;

const codes = (text: string) => validateYaml(text).map((d) => d.code);

describe('Argo CD Helm-OCI Application rules', () => {
  test('the Helm user guide example is clean', () => {
    assert.deepEqual(codes(helmOci('    repoURL: registry-1.docker.io/bitnamicharts\n    chart: nginx\n    targetRevision: 15.9.0')), []);
  });

  test('a range is a valid targetRevision', () => {
    assert.deepEqual(
      codes(helmOci('    repoURL: registry-1.docker.io/bitnamicharts\n    chart: nginx\n    targetRevision: ">=15.0.0 <16"')),
      [],
    );
  });

  test('a registry/path repoURL without chart is an error that says what Argo CD expects', () => {
    const found = validateYaml(helmOci('    repoURL: registry-1.docker.io/bitnamicharts\n    targetRevision: 15.9.0'));
    assert.deepEqual(
      found.map((d) => d.code),
      ['ARGO012'],
    );
    assert.match(found[0].message, /set chart to the chart's name/);
  });

  test('a chart name with a version is an error: the version goes in targetRevision', () => {
    assert.deepEqual(
      codes(helmOci('    repoURL: registry-1.docker.io/bitnamicharts\n    chart: nginx:15.9.0\n    targetRevision: 15.9.0')),
      ['ARGO013'],
    );
  });

  test('a repoURL that already ends with the chart name is warned: Argo CD appends chart to it', () => {
    assert.deepEqual(
      codes(helmOci('    repoURL: registry-1.docker.io/bitnamicharts/nginx\n    chart: nginx\n    targetRevision: 15.9.0')),
      ['ARGO014'],
    );
  });

  test('a tag that is not a version (latest) is not a Helm-OCI targetRevision', () => {
    assert.deepEqual(codes(helmOci('    repoURL: registry-1.docker.io/bitnamicharts\n    chart: nginx\n    targetRevision: latest')), [
      'ARGO015',
    ]);
  });
});

describe('Argo CD Helm-OCI live checks against CNCF Distribution', () => {
  const ctx = useRegistry({ auth: 'none' });

  before(async () => {
    const repo = ctx.client.repository(parseReference(`${ctx.registry.host}/charts/podinfo`));
    for (const version of ['6.4.0', '6.5.0', '6.5.1+build.3', '7.0.0-rc.1']) await pushHelmChart(repo, { name: 'podinfo', version });
  });

  const live = (revision: string) =>
    checkLive(helmOci(`    repoURL: ${ctx.registry.host}/charts\n    chart: podinfo\n    targetRevision: "${revision}"`), {
      repository: (ref) => ctx.client.repository(ref),
      cache: new LiveCache(),
    });

  test('a range resolves as Argo CD resolves it: _ read as +, pre-releases left out', async () => {
    const result = await live('^6');
    assert.deepEqual(result.diagnostics, []);
    assert.match(result.lenses[0].title, /^6\.5\.1_build\.3 →/);
  });

  test('a version with build metadata is fetched as the tag Helm pushed it under', async () => {
    const result = await live('6.5.1+build.3');
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.lenses.length, 1);
  });

  test('a range nothing satisfies is LIVE003 with the versions there are', async () => {
    const result = await live('^8');
    assert.deepEqual(
      result.diagnostics.map((d) => d.code),
      ['LIVE003'],
    );
    assert.match(result.diagnostics[0].message, /6\.5\.1_build\.3/);
  });

  test('a chart that is not in the registry is reported on the Application', async () => {
    const result = await checkLive(helmOci(`    repoURL: ${ctx.registry.host}/charts\n    chart: missing\n    targetRevision: 1.0.0`), {
      repository: (ref) => ctx.client.repository(ref),
      cache: new LiveCache(),
    });
    assert.equal(result.diagnostics.length, 1);
    assert.match(result.diagnostics[0].code, /^LIVE00[12]$/);
  });
});
