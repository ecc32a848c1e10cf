import { nodeAt, rangeOf, scalarString } from '../../documents';
import { missingFluxSource } from '../../rules/sourceRef';
import { kindSchema } from '../../schemas/kindSchema';
import { declared, HELM_CHART_LAYER } from '../../sources';
import type { GitOpsKind } from '../../contract/kind';
import { ociRepositoryCompletionSite, ociRepositorySemverSites } from './authoring';
import { liveTarget } from './live';
import { checkOciRepository } from './rules';
import { GROUP, spec, V1BETA2_DEPRECATED } from './schema';

/**
 * Flux OCIRepository (source.toolkit.fluxcd.io v1, and v1beta2 until Flux 2.8): the source of
 * Gitless GitOps. Kustomizations and HelmReleases name it; the live checks resolve its ref.
 */
export const ociRepository: GitOpsKind = {
  groupKinds: [{ group: GROUP, kind: 'OCIRepository' }],
  matches: (apiVersion, kind) => kind === 'OCIRepository' && apiVersion.startsWith(`${GROUP}/`),
  schemas: [
    kindSchema(`${GROUP}/v1`, 'OCIRepository', spec(true), {
      description: 'Flux OCIRepository: pulls an artifact from an OCI registry for Kustomizations and HelmReleases.',
    }),
    kindSchema(`${GROUP}/v1beta2`, 'OCIRepository', spec(false), {
      description: 'Flux OCIRepository (deprecated API version).',
      deprecated: V1BETA2_DEPRECATED,
    }),
  ],
  wholeObjectFields: [['url'], ['interval']],
  check: checkOciRepository,
  declaredSources: (root) => {
    const selectsHelmChart =
      scalarString(nodeAt(root, 'spec', 'layerSelector', 'mediaType')) === HELM_CHART_LAYER &&
      scalarString(nodeAt(root, 'spec', 'layerSelector', 'operation')) === 'copy';
    const name = nodeAt(root, 'metadata', 'name');
    return declared('OCIRepository', scalarString(nodeAt(root, 'metadata', 'namespace')) ?? 'default', scalarString(name), rangeOf(name), {
      selectsHelmChart,
    });
  },
  missingSource: missingFluxSource('OCIRepository', 'flux create source oci'),
  completionSite: ociRepositoryCompletionSite,
  semverSites: ociRepositorySemverSites,
  liveTargets: (root, whole) => {
    const target = whole || nodeAt(root, 'spec', 'ref') !== undefined ? liveTarget(root) : undefined;
    return target ? [target] : [];
  },
};
