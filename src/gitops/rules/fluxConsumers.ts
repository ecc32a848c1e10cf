import type { RuleContext } from './context';
import { INTERVAL } from './grammar';

const KUSTOMIZATION_DOCS = 'https://fluxcd.io/flux/components/kustomize/kustomizations/';
const HELMRELEASE_DOCS = 'https://fluxcd.io/flux/components/helm/helmreleases/';

/** What a consumer needs to know of an OCIRepository it points at. */
export interface SourceFacts {
  /** `layerSelector` takes the Helm chart layer with `operation: copy`, as a HelmRelease needs. */
  selectsHelmChart: boolean;
}

/** OCIRepositories that exist, by `namespace/name`, for checking what Kustomizations and HelmReleases point at. */
export type SourceIndex = Map<string, SourceFacts>;

export const HELM_CHART_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';

/** Kustomization (kustomize.toolkit.fluxcd.io/v1): required fields and an OCIRepository sourceRef that exists. */
export function checkKustomization(ctx: RuleContext, namespace: string, sources: SourceIndex | undefined): void {
  if (!ctx.isMapAt('spec')) {
    ctx.report('FLUX001', 'error', 'Kustomization needs a spec with interval, prune and sourceRef', ctx.keyRange('spec'), KUSTOMIZATION_DOCS);
    return;
  }
  const interval = ctx.string('spec', 'interval');
  if (interval === undefined) ctx.report('FLUX001', 'error', 'spec.interval is required, e.g. 10m', ctx.keyRange('spec', 'interval'), KUSTOMIZATION_DOCS, ctx.addField(['spec'], 'Add interval: 10m', ['interval: 10m']));
  else if (!INTERVAL.test(interval)) ctx.report('FLUX002', 'error', `spec.interval "${interval}" is not a duration (ms, s, m, h)`, ctx.valueRange('spec', 'interval'), KUSTOMIZATION_DOCS);
  if (ctx.string('spec', 'prune') === undefined) ctx.report('FLUX001', 'error', 'spec.prune is required: true deletes what is removed from the source', ctx.keyRange('spec', 'prune'), KUSTOMIZATION_DOCS, ctx.addField(['spec'], 'Add prune: true', ['prune: true']));
  checkRef(ctx, ['spec', 'sourceRef'], ['OCIRepository', 'GitRepository', 'Bucket', 'ExternalArtifact'], namespace, sources, KUSTOMIZATION_DOCS, true);
}

/** HelmRelease (helm.toolkit.fluxcd.io/v2): exactly one of chart and chartRef, and a chartRef that exists. */
export function checkHelmRelease(ctx: RuleContext, namespace: string, sources: SourceIndex | undefined): void {
  if (!ctx.isMapAt('spec')) {
    ctx.report('FLUX001', 'error', 'HelmRelease needs a spec with interval and chart or chartRef', ctx.keyRange('spec'), HELMRELEASE_DOCS);
    return;
  }
  if (ctx.string('spec', 'interval') === undefined) ctx.report('FLUX001', 'error', 'spec.interval is required, e.g. 10m', ctx.keyRange('spec', 'interval'), HELMRELEASE_DOCS, ctx.addField(['spec'], 'Add interval: 10m', ['interval: 10m']));
  const chart = ctx.has('spec', 'chart');
  const chartRef = ctx.has('spec', 'chartRef');
  if (chart === chartRef) {
    ctx.report('FLUX003', 'error', chart ? 'Set either spec.chart or spec.chartRef, not both' : 'Set spec.chart or spec.chartRef (e.g. an OCIRepository holding the chart)', ctx.keyRange('spec', chart ? 'chartRef' : 'chart'), HELMRELEASE_DOCS);
  }
  if (chartRef) checkRef(ctx, ['spec', 'chartRef'], ['OCIRepository', 'HelmChart', 'ExternalArtifact'], namespace, sources, HELMRELEASE_DOCS, true);
  const name = ctx.string('spec', 'chartRef', 'name');
  if (chartRef && ctx.string('spec', 'chartRef', 'kind') === 'OCIRepository' && name !== undefined) {
    const facts = sources?.get(`${ctx.string('spec', 'chartRef', 'namespace') ?? namespace}/${name}`);
    if (facts && !facts.selectsHelmChart) {
      ctx.report('FLUX006', 'warning', `OCIRepository "${name}" should select the chart layer for a HelmRelease: set its spec.layerSelector to mediaType: ${HELM_CHART_LAYER} and operation: copy (the chart tarball is kept as it is, not unpacked)`, ctx.valueRange('spec', 'chartRef', 'name'), HELMRELEASE_DOCS);
    }
  }
}

function checkRef(ctx: RuleContext, path: string[], kinds: string[], namespace: string, sources: SourceIndex | undefined, docs: string, required: boolean): void {
  if (!ctx.isMapAt(...path)) {
    if (required) ctx.report('FLUX001', 'error', `${path.join('.')} is required: kind and name of the source`, ctx.keyRange(...path), docs);
    return;
  }
  const kind = ctx.string(...path, 'kind');
  const name = ctx.string(...path, 'name');
  if (kind === undefined || !kinds.includes(kind)) {
    ctx.report('FLUX004', 'error', `${path.join('.')}.kind must be one of ${kinds.join(', ')}`, ctx.valueRange(...path, 'kind'), docs);
  }
  if (name === undefined) ctx.report('FLUX001', 'error', `${path.join('.')}.name is required`, ctx.keyRange(...path, 'name'), docs);
  if (kind === 'OCIRepository' && name !== undefined && sources) {
    const ns = ctx.string(...path, 'namespace') ?? namespace;
    if (!sources.has(`${ns}/${name}`)) {
      ctx.report('FLUX005', 'warning', `No OCIRepository "${name}" in namespace "${ns}" was found in the workspace; check the name, or add it`, ctx.valueRange(...path, 'name'), docs);
    }
  }
}
