import { parseReference } from '../../src/oci';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { validateYaml } from '../support/validateYaml';
import { LiveCache } from '../../src/gitops/live/liveCache';
import { checkLive } from '../../src/gitops/live/liveCheck';
import { pushHelmChart } from '../support/helmChart';
import { useRegistry } from '../support/useRegistry';

/**
 * Flux HelmRepository (source.toolkit.fluxcd.io/v1) of type oci, and a HelmRelease chart.spec from
 * it, as the Flux docs write them (fluxcd/website content/en/flux/components/source/helmrepositories.md,
 * "Helm OCI repository"): url oci://registry/path, type: oci; the chart name is appended to the url.
 */
const repository = (url: string, type = 'oci') => `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: podinfo
  namespace: default
spec:
  interval: 5m0s
  type: ${type}
  url: ${url}
`;

const release = (chart: string, version?: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: default
spec:
  interval: 10m
  chart:
    spec:
      chart: ${chart}${version !== undefined ? `\n      version: "${version}"` : ''}
      sourceRef:
        kind: HelmRepository
        name: podinfo
`;

const codes = (text: string) => validateYaml(text, new Map()).map((d) => d.code);

describe('HelmRepository rules', () => {
  test('the Flux docs OCI example is clean', () => {
    assert.deepEqual(codes(repository('oci://ghcr.io/stefanprodan/charts')), []);
  });

  test('an HTTPS chart repository is clean', () => {
    assert.deepEqual(codes(repository('https://stefanprodan.github.io/podinfo', 'default')), []);
  });

  test('an oci:// url without type: oci is an error with a fix setting it', () => {
    const text = repository('oci://ghcr.io/stefanprodan/charts', 'default');
    const [finding] = validateYaml(text);
    assert.equal(finding.code, 'HREPO001');
    assert.ok(finding.fix);
    const fixed = finding.fix.edits.reduceRight((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), text);
    assert.deepEqual(codes(fixed), []);
  });

  test('type: oci with an https url is an error', () => {
    assert.deepEqual(codes(repository('https://stefanprodan.github.io/podinfo')), ['HREPO001']);
  });

  test('a tag in an OCI HelmRepository url is an error: the version belongs to the HelmRelease', () => {
    assert.deepEqual(codes(repository('oci://ghcr.io/stefanprodan/charts:6.5.0')), ['HREPO002']);
  });

  test('a registry root is a url: charts then sit at the top of the registry (source-controller config/samples/source_v1_helmrepository-oci.yaml)', () => {
    assert.deepEqual(codes(repository('oci://ghcr.io/')), []);
    assert.deepEqual(codes(repository('oci://ghcr.io')), []);
    assert.deepEqual(codes(repository('oci://ghcr.io/stefanprodan/charts/')), []);
    assert.deepEqual(codes(repository('oci://ghcr.io/:6.5.0')), ['HREPO002']);
  });

  test('the CRD pattern refuses a url without http, https or oci', () => {
    assert.ok(codes(repository('ghcr.io/stefanprodan/charts')).length > 0);
  });
});

describe('HelmRelease chart.spec from an OCI HelmRepository', () => {
  const file = (chart: string, version?: string) => `${repository('oci://ghcr.io/stefanprodan/charts')}---\n${release(chart, version)}`;

  test('a chart name and a range are clean', () => {
    assert.deepEqual(codes(file('podinfo', '6.x')), []);
  });

  test('a chart name with a version in it is FLUX007', () => {
    assert.deepEqual(codes(file('podinfo:6.5.0')), ['FLUX007']);
  });

  test('a version that is not a strict version or range (latest, v6.5.0) is FLUX008', () => {
    assert.deepEqual(codes(file('podinfo', 'latest')), ['FLUX008']);
    // Helm's registry client keeps strict versions only, so no tag v6.5.0 is ever a chart version.
    assert.deepEqual(codes(file('podinfo', 'v6.5.0')), ['FLUX008']);
  });

  test('under a registry root the chart is the whole repository path, and its version is checked as under a path', () => {
    const text = (chart: string, version: string) => `${repository('oci://ghcr.io/')}---\n${release(chart, version)}`;
    assert.deepEqual(codes(text('stefanprodan/charts/podinfo', '>=6.0.0 <7.0.0')), []);
    assert.deepEqual(codes(text('stefanprodan/charts/podinfo', 'latest')), ['FLUX008']);
  });

  test('with an HTTPS HelmRepository the OCI rules do not apply', () => {
    const text = `${repository('https://stefanprodan.github.io/podinfo', 'default')}---\n${release('podinfo', 'latest')}`;
    assert.deepEqual(codes(text), []);
  });
});

describe('HelmRelease chart.spec live checks against CNCF Distribution', () => {
  const ctx = useRegistry({ auth: 'none' });

  before(async () => {
    const repo = ctx.client.repository(parseReference(`${ctx.registry.host}/charts/podinfo`));
    for (const version of ['6.4.0', '6.5.0', '6.5.1+build.2', '7.0.0-rc.1']) await pushHelmChart(repo, { name: 'podinfo', version });
  });

  const live = (version?: string) =>
    checkLive(`${repository(`oci://${ctx.registry.host}/charts`)}---\n${release('podinfo', version)}`, {
      repository: (ref) => ctx.client.repository(ref),
      cache: new LiveCache(),
    });

  test('no version resolves to the latest stable chart version, as Helm reads the tags (_ for +)', async () => {
    const result = await live();
    assert.deepEqual(result.diagnostics, []);
    assert.match(result.lenses[0].title, /^6\.5\.1_build\.2 →/);
  });

  test('a range resolves to its highest match', async () => {
    const result = await live('~6.4');
    assert.match(result.lenses[0].title, /^6\.4\.0 →/);
  });

  test('a range nothing satisfies is LIVE003', async () => {
    const result = await live('^8');
    assert.deepEqual(
      result.diagnostics.map((d) => d.code),
      ['LIVE003'],
    );
  });
});
