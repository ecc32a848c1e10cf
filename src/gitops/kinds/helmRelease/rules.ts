import { isMap } from 'yaml';
import { writtenScalar } from '../../completion/written';
import { nodeAt } from '../../documents';
import type { RuleContext } from '../../contract/ruleContext';
import { REPOSITORY } from '../../rules/grammar';
import { checkSourceRef } from '../../rules/sourceRef';
import { HELM_CHART_LAYER, sourceKey } from '../../sources';
import { isChartVersionOrRange, ociHelmRepositoryOf } from './live';
import { CHART_SOURCE_KINDS, DOCS } from './schema';

/** HelmRelease (helm.toolkit.fluxcd.io/v2): exactly one of chart and chartRef, and a chartRef that exists. */
export function checkHelmRelease(ctx: RuleContext): void {
  if (!ctx.isMapAt('spec')) {
    ctx.reportWhole('FLUX001', 'error', 'HelmRelease needs a spec with interval and chart or chartRef', ctx.keyRange('spec'), DOCS);
    return;
  }
  ctx.requireSpecField('FLUX001', 'interval', '10m', 'spec.interval is required, e.g. 10m', DOCS);
  const chart = ctx.has('spec', 'chart');
  const chartRef = ctx.has('spec', 'chartRef');
  // Both in one document is wrong however it is merged; neither is only wrong in a whole object.
  if (chart && chartRef)
    ctx.report('FLUX003', 'error', 'Set either spec.chart or spec.chartRef, not both', ctx.keyRange('spec', 'chartRef'), DOCS);
  else if (!chart && !chartRef)
    ctx.reportWhole(
      'FLUX003',
      'error',
      'Set spec.chart or spec.chartRef (e.g. an OCIRepository holding the chart)',
      ctx.keyRange('spec', 'chart'),
      DOCS,
    );
  if (chartRef) checkSourceRef(ctx, ['spec', 'chartRef'], CHART_SOURCE_KINDS, DOCS);
  if (chart && isMap(ctx.root) && ociHelmRepositoryOf(ctx.root, ctx.sources?.index)) checkOciChartSpec(ctx);
  const name = ctx.string('spec', 'chartRef', 'name');
  if (ctx.whole && chartRef && ctx.string('spec', 'chartRef', 'kind') === 'OCIRepository' && name !== undefined) {
    const facts = ctx.sources?.index.get(sourceKey('OCIRepository', ctx.string('spec', 'chartRef', 'namespace') ?? ctx.namespace, name));
    if (facts && !facts.selectsHelmChart) {
      // helm-controller also loads a chart source-controller unpacked (its own samples and e2e
      // tests do): this is the docs' recommendation, so an information.
      ctx.report(
        'FLUX006',
        'info',
        `OCIRepository "${name}" unpacks the chart: the Flux docs recommend its spec.layerSelector take mediaType: ${HELM_CHART_LAYER} with operation: copy, so the chart tarball is kept as published`,
        ctx.valueRange('spec', 'chartRef', 'name'),
        DOCS,
      );
    }
  }
}

/**
 * chart.spec from an OCI HelmRepository: the chart is one repository name under the registry path
 * (no version in it), and the version is what Helm's registry client can match: a strict version,
 * or a semver range (source-controller internal/helm/repository/oci_chart_repository.go).
 */
function checkOciChartSpec(ctx: RuleContext): void {
  const chart = ctx.string('spec', 'chart', 'spec', 'chart');
  if (chart !== undefined && (/[:@]/.test(chart) || !REPOSITORY.test(chart)))
    ctx.report(
      'FLUX007',
      'error',
      `spec.chart.spec.chart "${chart}" is not a chart name: with an OCI HelmRepository it is the repository under the registry path (e.g. podinfo), and the version goes in spec.chart.spec.version`,
      ctx.valueRange('spec', 'chart', 'spec', 'chart'),
      DOCS,
    );
  const version = ctx.root ? writtenScalar(nodeAt(ctx.root, 'spec', 'chart', 'spec', 'version')) : undefined;
  if (version !== undefined && !isChartVersionOrRange(version))
    ctx.report(
      'FLUX008',
      'error',
      `spec.chart.spec.version "${version}" is neither a chart version nor a semver range: Helm lists an OCI chart's tags as versions (1.2.3, no v) and picks one by range (e.g. 1.2.x or ^1.2)`,
      ctx.valueRange('spec', 'chart', 'spec', 'version'),
      DOCS,
    );
}
