import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { completionSiteAt, semverSites } from '../../src/gitops/kindQueries';
import { validateYaml } from '../support/validateYaml';
import { GitOpsValidator } from '../../src/gitops/validator';

// Shaped like the CloudNativePG release of a home-ops fleet: the release's name is anchored and
// reused for the chart source it points at, and one interval is anchored for the whole object.
const CNPG = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: cloudnative-pg
  namespace: database
spec:
  interval: 12h
  url: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg
  ref:
    tag: 0.23.0
  layerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: &app cloudnative-pg
  namespace: database
spec:
  interval: &interval 30m
  timeout: *interval
  chartRef:
    kind: OCIRepository
    name: *app
  install:
    remediation:
      retries: 3
`;

describe('YAML anchors, aliases and merge keys', () => {
  const validator = new GitOpsValidator();

  test('aliases in metadata.name, chartRef.name and interval are the values they name: no finding', async () => {
    assert.deepEqual(await validator.validate(CNPG, new Map()), []);
  });

  test('an aliased interval is no schema pattern error and no missing-field error', async () => {
    const text = CNPG.split('---\n')[1];
    const found = await validator.validate(text);
    assert.deepEqual(found, []);
  });

  test('a merge key brings in the fields it names: interval and chartRef from <<: *defaults are not missing', async () => {
    const text = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: apps
spec:
  install: &remediation
    remediation:
      retries: 3
  upgrade:
    <<: *remediation
    cleanupOnFail: true
  <<: &release
    interval: 30m
    chartRef:
      kind: OCIRepository
      name: podinfo
`;
    assert.deepEqual(await validator.validate(text), []);
  });

  test('a finding about an aliased value points at the alias, not at the anchor', () => {
    const text = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: &app grafana
  namespace: monitoring
spec:
  interval: 1h
  chartRef:
    kind: OCIRepository
    name: *app
`;
    const found = validateYaml(text, new Map());
    assert.deepEqual(
      found.map((d) => d.code),
      ['FLUX005'],
    );
    assert.equal(text.slice(found[0].start, found[0].end), '*app');
    assert.match(found[0].message, /"grafana"/);
  });

  test('a mistake in an aliased map is caught on the alias line', () => {
    const text = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: grafana
  namespace: monitoring
spec:
  interval: 1h
  chart:
    spec: &chart
      chart: grafana
      sourceRef:
        kind: HelmRepository
        name: grafana
  chartRef: *chart
`;
    const found = validateYaml(text);
    const line = (offset: number) => text.slice(0, offset).split('\n').length;
    assert.ok(found.length > 0);
    assert.ok(found.some((d) => line(d.start) === 14));
  });

  test('a self-referencing anchor is left alone: the rest of the document is still checked', async () => {
    const text = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata: &loop
  name: loop
  labels: *loop
spec:
  interval: 1m
  url: oci://ghcr.io/org/app:1.0.0
  ref:
    tag: 1.0.0
`;
    const url = text.indexOf('oci://');
    for (const found of [await validator.validate(text), validateYaml(text)])
      assert.ok(
        found.some((d) => d.severity === 'error' && d.start === url),
        JSON.stringify(found),
      );
  });

  test('completion and semver previews read aliased values: the chart version under an aliased repository', () => {
    const text = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: &name podinfo
  namespace: apps
spec:
  interval: 10m
  url: &url oci://ghcr.io/stefanprodan/charts/podinfo
  ref:
    semver: ">=6.0.0"
`;
    const sites = semverSites(text);
    assert.equal(sites.length, 1);
    assert.deepEqual(sites[0].repo, { host: 'ghcr.io', repository: 'stefanprodan/charts/podinfo' });
    const aliased = text
      .replace('  url: &url oci://ghcr.io/stefanprodan/charts/podinfo\n', '  url: *url\n')
      .replace('  name: &name podinfo', '  name: podinfo\n  annotations:\n    source: &url oci://ghcr.io/stefanprodan/charts/podinfo');
    const aliasedSites = semverSites(aliased);
    assert.deepEqual(aliasedSites[0]?.repo, { host: 'ghcr.io', repository: 'stefanprodan/charts/podinfo' });
    const tag = aliased.replace('    semver: ">=6.0.0"\n', '    tag: ');
    const site = completionSiteAt(tag, tag.length);
    assert.equal(site?.kind, 'tag');
    assert.deepEqual(site && 'repo' in site ? site.repo : undefined, { host: 'ghcr.io', repository: 'stefanprodan/charts/podinfo' });
  });
});
