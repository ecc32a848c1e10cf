import { namedSource } from '../../rules/sourceRef';
import type { GitOpsKind } from '../../contract/kind';
import { helmReleaseChartValuesAt, helmReleaseCompletionSite, helmReleaseSemverSites } from './authoring';
import { ociChartTarget } from './live';
import { checkHelmRelease } from './rules';
import { GROUP, V2 } from './schema';

/** Flux HelmRelease (helm.toolkit.fluxcd.io/v2): installs a chart, from the source its chartRef names or from spec.chart. */
export const helmRelease: GitOpsKind = {
  groupKinds: [{ group: GROUP, kind: 'HelmRelease' }],
  matches: (apiVersion, kind) => kind === 'HelmRelease' && apiVersion.startsWith(`${GROUP}/`),
  schemas: [V2],
  wholeObjectFields: [['interval'], ['chartRef'], ['chart', 'spec', 'chart'], ['chart', 'spec', 'sourceRef']],
  check: checkHelmRelease,
  referencesSources: (root) => namedSource(root, ['spec', 'chartRef']),
  liveTargets: (root, whole, sources) => {
    const target = whole && sources ? ociChartTarget(root, sources) : undefined;
    return target ? [target] : [];
  },
  chartValuesAt: helmReleaseChartValuesAt,
  completionSite: helmReleaseCompletionSite,
  semverSites: helmReleaseSemverSites,
};
