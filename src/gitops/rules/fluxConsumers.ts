import { CLUSTER_SYNC_NAME, HELM_CHART_LAYER, holdsSource, sourceKey, type SourceIndex } from '../sources';
import type { RuleContext } from './context';
import { INTERVAL } from './grammar';

const KUSTOMIZATION_DOCS = 'https://fluxcd.io/flux/components/kustomize/kustomizations/';
const HELMRELEASE_DOCS = 'https://fluxcd.io/flux/components/helm/helmreleases/';

/** Kustomization (kustomize.toolkit.fluxcd.io/v1): required fields and a sourceRef that exists. */
export function checkKustomization(ctx: RuleContext, namespace: string, sources: SourceIndex | undefined): void {
  if (!ctx.isMapAt('spec')) {
    ctx.reportWhole(
      'FLUX001',
      'error',
      'Kustomization needs a spec with interval, prune and sourceRef',
      ctx.keyRange('spec'),
      KUSTOMIZATION_DOCS,
    );
    return;
  }
  const interval = ctx.string('spec', 'interval');
  if (interval === undefined)
    ctx.reportWhole(
      'FLUX001',
      'error',
      'spec.interval is required, e.g. 10m',
      ctx.keyRange('spec', 'interval'),
      KUSTOMIZATION_DOCS,
      ctx.addField(['spec'], 'Add interval: 10m', ['interval: 10m']),
    );
  else if (!INTERVAL.test(interval))
    ctx.report(
      'FLUX002',
      'error',
      `spec.interval "${interval}" is not a duration (ms, s, m, h)`,
      ctx.valueRange('spec', 'interval'),
      KUSTOMIZATION_DOCS,
    );
  if (ctx.string('spec', 'prune') === undefined)
    ctx.reportWhole(
      'FLUX001',
      'error',
      'spec.prune is required: true deletes what is removed from the source',
      ctx.keyRange('spec', 'prune'),
      KUSTOMIZATION_DOCS,
      ctx.addField(['spec'], 'Add prune: true', ['prune: true']),
    );
  checkRef(
    ctx,
    ['spec', 'sourceRef'],
    ['OCIRepository', 'GitRepository', 'Bucket', 'ExternalArtifact'],
    namespace,
    sources,
    KUSTOMIZATION_DOCS,
  );
}

/** HelmRelease (helm.toolkit.fluxcd.io/v2): exactly one of chart and chartRef, and a chartRef that exists. */
export function checkHelmRelease(ctx: RuleContext, namespace: string, sources: SourceIndex | undefined): void {
  if (!ctx.isMapAt('spec')) {
    ctx.reportWhole(
      'FLUX001',
      'error',
      'HelmRelease needs a spec with interval and chart or chartRef',
      ctx.keyRange('spec'),
      HELMRELEASE_DOCS,
    );
    return;
  }
  if (ctx.string('spec', 'interval') === undefined)
    ctx.reportWhole(
      'FLUX001',
      'error',
      'spec.interval is required, e.g. 10m',
      ctx.keyRange('spec', 'interval'),
      HELMRELEASE_DOCS,
      ctx.addField(['spec'], 'Add interval: 10m', ['interval: 10m']),
    );
  const chart = ctx.has('spec', 'chart');
  const chartRef = ctx.has('spec', 'chartRef');
  // Both in one document is wrong however it is merged; neither is only wrong in a whole object.
  if (chart && chartRef)
    ctx.report('FLUX003', 'error', 'Set either spec.chart or spec.chartRef, not both', ctx.keyRange('spec', 'chartRef'), HELMRELEASE_DOCS);
  else if (!chart && !chartRef)
    ctx.reportWhole(
      'FLUX003',
      'error',
      'Set spec.chart or spec.chartRef (e.g. an OCIRepository holding the chart)',
      ctx.keyRange('spec', 'chart'),
      HELMRELEASE_DOCS,
    );
  if (chartRef)
    checkRef(ctx, ['spec', 'chartRef'], ['OCIRepository', 'HelmChart', 'ExternalArtifact'], namespace, sources, HELMRELEASE_DOCS);
  const name = ctx.string('spec', 'chartRef', 'name');
  if (ctx.whole && chartRef && ctx.string('spec', 'chartRef', 'kind') === 'OCIRepository' && name !== undefined) {
    const facts = sources?.get(sourceKey('OCIRepository', ctx.string('spec', 'chartRef', 'namespace') ?? namespace, name));
    if (facts && !facts.selectsHelmChart) {
      // helm-controller also loads a chart source-controller unpacked (its own samples and e2e
      // tests do): this is the docs' recommendation, so an information.
      ctx.report(
        'FLUX006',
        'info',
        `OCIRepository "${name}" unpacks the chart: the Flux docs recommend its spec.layerSelector take mediaType: ${HELM_CHART_LAYER} with operation: copy, so the chart tarball is kept as published`,
        ctx.valueRange('spec', 'chartRef', 'name'),
        HELMRELEASE_DOCS,
      );
    }
  }
}

function checkRef(
  ctx: RuleContext,
  path: string[],
  kinds: string[],
  namespace: string,
  sources: SourceIndex | undefined,
  docs: string,
): void {
  if (!ctx.isMapAt(...path)) {
    ctx.reportWhole('FLUX001', 'error', `${path.join('.')} is required: kind and name of the source`, ctx.keyRange(...path), docs);
    return;
  }
  const kind = ctx.string(...path, 'kind');
  const name = ctx.string(...path, 'name');
  if (kind !== undefined && !kinds.includes(kind))
    ctx.report('FLUX004', 'error', `${path.join('.')}.kind must be one of ${kinds.join(', ')}`, ctx.valueRange(...path, 'kind'), docs);
  else if (kind === undefined)
    ctx.reportWhole('FLUX004', 'error', `${path.join('.')}.kind must be one of ${kinds.join(', ')}`, ctx.valueRange(...path, 'kind'), docs);
  if (name === undefined) ctx.reportWhole('FLUX001', 'error', `${path.join('.')}.name is required`, ctx.keyRange(...path, 'name'), docs);
  // A patch may leave the namespace to the object it patches, so only whole objects are resolved.
  if (!ctx.whole || name === undefined || !sources || (kind !== 'OCIRepository' && kind !== 'ExternalArtifact')) return;
  const ns = ctx.string(...path, 'namespace') ?? namespace;
  if (holdsSource(sources, sourceKey(kind, ns, name))) return;
  const range = ctx.valueRange(...path, 'name');
  if (kind === 'ExternalArtifact') {
    // Other controllers than source-watcher create ExternalArtifacts too, outside any repository.
    ctx.report(
      'FLUX005',
      'info',
      `No ArtifactGenerator in the workspace makes an ExternalArtifact "${name}" in namespace "${ns}"; check the name unless another controller creates it`,
      range,
      docs,
    );
  } else if (name === CLUSTER_SYNC_NAME) {
    // The cluster's own source is usually made when the cluster is bootstrapped, not kept in the repository.
    ctx.report(
      'FLUX005',
      'info',
      `OCIRepository "${name}" in namespace "${ns}" is not in the workspace: the cluster's own source is usually created at bootstrap (a FluxInstance's spec.sync, or flux create source oci), outside these files`,
      range,
      docs,
    );
  } else {
    ctx.report(
      'FLUX005',
      'warning',
      `No OCIRepository "${name}" in namespace "${ns}" was found in the workspace; check the name, or add it`,
      range,
      docs,
    );
  }
}
