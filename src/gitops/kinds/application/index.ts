import { isSeq } from 'yaml';
import { nodeAt } from '../../documents';
import type { GitOpsKind } from '../../contract/kind';
import { applicationChartValuesAt, applicationCompletionSite, applicationSemverSites } from './authoring';
import { liveTarget } from './live';
import { checkApplication } from './rules';
import { API_VERSION, V1ALPHA1 } from './schema';

export { checkApplication } from './rules';
export { APPLICATION_DEFINITIONS, APPLICATION_SPEC } from './schema';

/**
 * Argo CD Application (argoproj.io/v1alpha1): the CRD plus what Argo CD's validation enforces, and
 * its oci:// sources (`spec.source` or each of `spec.sources`) for the live checks.
 */
export const application: GitOpsKind = {
  groupKinds: [{ group: 'argoproj.io', kind: 'Application' }],
  matches: (apiVersion, kind) => kind === 'Application' && apiVersion === API_VERSION,
  schemas: [V1ALPHA1],
  wholeObjectFields: [['project'], ['destination'], ['source', 'repoURL'], ['sources'], ['sourceHydrator']],
  check: checkApplication,
  completionSite: applicationCompletionSite,
  semverSites: applicationSemverSites,
  chartValuesAt: applicationChartValuesAt,
  liveTargets: (root) => {
    const sources = nodeAt(root, 'spec', 'sources');
    const paths: (string | number)[][] = isSeq(sources) ? sources.items.map((_, i) => ['spec', 'sources', i]) : [['spec', 'source']];
    return paths.flatMap((path) => {
      const target = liveTarget(root, path);
      return target ? [target] : [];
    });
  },
};
