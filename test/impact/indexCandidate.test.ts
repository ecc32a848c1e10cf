import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MediaType, OciClient, parseReference, type Descriptor, type Reference, type RepositoryApi } from '../../src/oci';
import type { ConsumerImpact, ImpactReport } from '../../src/gitops/impact/contract';
import { copyCandidate } from '../../src/gitops/impact/copyCandidate';
import { impactOf } from '../../src/gitops/impact/impact';
import { pushMultiPlatformIndex } from '../support/multiPlatformIndex';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { fixture, pushCandidate, workspace } from './workspaceFixtures';

const AMD64 = { os: 'linux', architecture: 'amd64' };
const ARM64 = { os: 'linux', architecture: 'arm64' };
const ARMV7 = { os: 'linux', architecture: 'arm', variant: 'v7' };

// A multi-platform image index, laid out as `docker buildx` writes it, as each consumer reads it:
//
// - Flux's OCIRepository pulls with go-containerregistry `remote.Image(digestRef, opts...)` and no
//   platform option (fluxcd/source-controller 39b711b, internal/controller/ocirepository_controller.go
//   L512, options from makeRemoteOptions L1359-1376). For an index, `Descriptor.Image()` resolves it
//   with `imageByPlatform(d.platform)` (google/go-containerregistry 3f4ff3c, pkg/v1/remote/descriptor.go
//   L114-116), the platform defaulting to linux/amd64 (pkg/v1/remote/options.go L61-64); an entry
//   without a platform counts as linux/amd64, the first whose OS and architecture match wins, nested
//   indexes are followed, and none matching is "no child with platform %+v in index %s"
//   (pkg/v1/remote/index.go L173-190, matchesPlatform L252-275). selectLayer then reads that
//   manifest's layers ("no layers found in artifact", "failed to find layer with media type",
//   ocirepository_controller.go L590-630).
// - Argo CD decodes whatever the digest names as an image manifest (argoproj/argo-cd 37ee009,
//   util/oci/client.go getOCIManifest L686-705): an index has no `layers`, so it counts 0 content
//   layers and fails "expected only a single oci content layer, got %d" (L285-307). It never picks
//   a platform.
// - A HelmRelease's chart is pulled by Helm's registry client. Before Helm 4.2 an index is not an
//   allowed media type (helm/helm v3.19.0 pkg/registry/client.go L512-515): oras-go copies its
//   manifests (oras-project/oras-go v2.6.0 copy.go L242-255, successors before PreCopy L374-376) but
//   skips the index itself, so reading it back fails "unable to retrieve blob with digest %s".
//   Helm 4.2 allows the index (helm/helm d983696, "fix pulling charts from OCI indices",
//   pkg/registry/client.go L568-572) and takes the config and chart layer of whichever manifest
//   it finds (processChartPull L462-475). source-controller uses Helm 4.2 from v1.8.5 (go.mod).
describe('an image index candidate, read the way each consumer reads one', () => {
  let registry: RunningRegistry;
  let client: OciClient;

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    client = new OciClient();
  });
  after(async () => {
    await client?.close();
    await registry?.stop();
  });

  const repoOf = (name: string): RepositoryApi => client.repository(parseReference(`${registry.host}/${name}/podinfo`));
  const where = (name: string) => `${registry.host}/${name}/podinfo`;
  const candidate = (name: string, tag: string): Reference => ({ registry: registry.host, repository: `${name}/podinfo`, tag });
  const impact = (reference: Reference, dir: string): Promise<ImpactReport> =>
    impactOf({
      candidate: reference,
      files: [dir],
      registry: { repository: (host, repository) => client.repository({ registry: host, repository }) },
    });
  const only = (report: ImpactReport): ConsumerImpact => {
    assert.equal(report.consumers.length, 1, JSON.stringify(report.consumers, null, 2));
    return report.consumers[0];
  };
  const details = (found: ConsumerImpact, outcome: string) =>
    found.checks
      .filter((c) => c.outcome === outcome)
      .map((c) => c.detail)
      .join('\n');
  const pushIndex = (repo: RepositoryApi, tag: string, manifests: Descriptor[]) =>
    repo.pushManifest(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests })), MediaType.OciIndex, tag);
  const ociRepository = (name: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: podinfo
spec:
  interval: 5m
  url: oci://${where(name)}
  ref:
    tag: "2.0.0"
`;

  test('Flux pulls a multi-platform index as its linux/amd64 image and accepts its tar+gzip layer', async () => {
    const { images } = await pushMultiPlatformIndex(repoOf('multi-arch'), '2.0.0', [{ platform: ARM64 }, { platform: AMD64 }]);
    const found = only(await impact(candidate('multi-arch', '2.0.0'), workspace({ 'podinfo.yaml': ociRepository('multi-arch') })));
    assert.equal(found.acceptance, 'accepts', details(found, 'fail'));
    const layerCheck = found.checks.find((c) => c.check === 'Flux layerSelector');
    assert.match(
      layerCheck!.detail,
      new RegExp(`linux/amd64 manifest ${images[1].digest.slice(0, 19)}.*gzip-compressed tarball Flux extracts`),
    );
  });

  test("Flux judges the linux/amd64 manifest's layers: an uncompressed tar there is refused though arm64's is gzip", async () => {
    await pushMultiPlatformIndex(repoOf('amd64-tar'), '2.0.0', [
      { platform: ARM64 },
      { platform: AMD64, layerMediaType: MediaType.OciLayerTar },
    ]);
    const found = only(await impact(candidate('amd64-tar', '2.0.0'), workspace({ 'podinfo.yaml': ociRepository('amd64-tar') })));
    assert.equal(found.acceptance, 'refuses');
    assert.match(details(found, 'fail'), /linux\/amd64 manifest sha256:.*is an uncompressed tar/);
  });

  test("Flux refuses an index with no linux/amd64 manifest, in go-containerregistry's words, naming the platforms it has", async () => {
    const { index } = await pushMultiPlatformIndex(repoOf('arm-only'), '2.0.0', [{ platform: ARM64 }, { platform: ARMV7 }]);
    const found = only(await impact(candidate('arm-only', '2.0.0'), workspace({ 'podinfo.yaml': ociRepository('arm-only') })));
    assert.equal(found.acceptance, 'refuses');
    assert.match(
      details(found, 'fail'),
      new RegExp(
        `^no child with platform linux/amd64 in index ${where('arm-only')}@${index.digest}: .*linux/arm64, unknown/unknown, linux/arm/v7, unknown/unknown$`,
      ),
    );
  });

  test('Flux takes an index entry without a platform as linux/amd64', async () => {
    const repo = repoOf('no-platform');
    const plain = await pushCandidate(repo, 'plain');
    await pushIndex(repo, '2.0.0', [{ ...plain }]);
    const found = only(await impact(candidate('no-platform', '2.0.0'), workspace({ 'podinfo.yaml': ociRepository('no-platform') })));
    assert.equal(found.acceptance, 'accepts', details(found, 'fail'));
    assert.match(details(found, 'pass'), new RegExp(`linux/amd64 manifest ${plain.digest.slice(0, 19)}`));
  });

  test('Flux follows an index inside an index to its linux/amd64 image', async () => {
    const repo = repoOf('nested');
    const inner = await pushMultiPlatformIndex(repo, 'inner', [
      { platform: ARM64 },
      { platform: AMD64, layerMediaType: MediaType.OciLayerTar },
    ]);
    await pushIndex(repo, '2.0.0', [{ ...inner.index, platform: AMD64 }]);
    const found = only(await impact(candidate('nested', '2.0.0'), workspace({ 'podinfo.yaml': ociRepository('nested') })));
    assert.equal(found.acceptance, 'refuses');
    assert.match(details(found, 'fail'), new RegExp(`linux/amd64 manifest ${inner.images[1].digest.slice(0, 19)}.*uncompressed tar`));
  });

  test('Argo CD refuses an index: it reads it as one manifest with no content layer and picks no platform', async () => {
    await pushMultiPlatformIndex(repoOf('argo-index'), '1.16.1', [{ platform: AMD64 }, { platform: ARM64 }]);
    const found = only(
      await impact(candidate('argo-index', '1.16.1'), workspace({ 'app.yaml': fixture('argo-oci-application.yaml', where('argo-index')) })),
    );
    assert.equal(found.consumer.kind, 'Application');
    assert.equal(found.acceptance, 'refuses');
    assert.match(details(found, 'fail'), /^expected only a single oci content layer, got 0: Argo CD reads the index sha256:/);
  });

  test("a copy of an index is judged before it moves, from the source's platform manifests", async () => {
    const source = repoOf('copy-source');
    await pushMultiPlatformIndex(source, '2.0.0', [{ platform: ARM64 }, { platform: AMD64 }]);
    const prepared = await copyCandidate(source, candidate('copy-source', '2.0.0'), candidate('copy-target', '2.0.0'), false);
    const found = only(
      await impactOf({
        candidate: prepared,
        files: [workspace({ 'podinfo.yaml': ociRepository('copy-target') })],
        registry: { repository: (host, repository) => client.repository({ registry: host, repository }) },
        childManifestsFrom: source,
      }),
    );
    assert.equal(found.acceptance, 'accepts', details(found, 'fail'));
    assert.match(details(found, 'pass'), /linux\/amd64 manifest/);
  });

  test('a HelmRelease under Flux 2.7 refuses a chart pushed as an index; with no Flux version it is a warning', async () => {
    // A chart per platform, each with Helm's config and chart layer types (helm/helm v4.2.1 pkg/registry/constants.go L27-30).
    const chartOf = (platform: typeof AMD64) => ({
      platform,
      layerMediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
      config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', data: { apiVersion: 'v2', name: 'podinfo', version: '1.0.0' } },
    });
    await pushMultiPlatformIndex(client.repository(parseReference(`${registry.host}/charts/podinfo`)), '1.0.0', [
      chartOf(AMD64),
      chartOf(ARM64),
    ]);
    const release = `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\nspec:\n  type: oci\n  interval: 5m\n  url: oci://${registry.host}/charts\n---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: podinfo\n      version: "1.x"\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n`;
    const chart = { registry: registry.host, repository: 'charts/podinfo', tag: '1.0.0' };
    const old = only(
      await impact(chart, workspace({ 'release.yaml': release, 'flux-system/gotk-components.yaml': '# Flux Version: v2.7.3\n---\n' })),
    );
    assert.equal(old.acceptance, 'refuses');
    assert.match(
      details(old, 'fail'),
      /^Flux v2\.7\.3 pulls charts with a Helm before 4\.2, which skips an index .*\("unable to retrieve blob with digest sha256:\w+"\)/,
    );
    const unknown = only(await impact(chart, workspace({ 'release.yaml': release })));
    assert.equal(unknown.acceptance, 'accepts');
    assert.match(details(unknown, 'warn'), /^source-controller before v1\.8\.5 \(Helm before 4\.2\) cannot pull a chart from an index/);
  });
});
