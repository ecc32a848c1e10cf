import { nodeAt, rangeOf, scalarString } from '../documents';
import { fields } from '../schemas/fieldSpec';
import { kindSchema } from '../schemas/kindSchema';
import { declared } from '../sources';
import type { GitOpsKind } from '../contract/kind';

const GROUP = 'source.toolkit.fluxcd.io';

const V1 = kindSchema(
  `${GROUP}/v1`,
  'ExternalArtifact',
  fields(`
sourceRef object -- The object that produced this artifact (e.g. an ArtifactGenerator); written by that controller.
  apiVersion string -- API version of the producer.
  kind! string -- Kind of the producer.
  name! string -- Name of the producer.
  namespace string -- Namespace of the producer; this object's namespace when left out.
`),
  {
    description:
      'Flux ExternalArtifact: an artifact produced outside source-controller (by an ArtifactGenerator or another controller), usable as a Kustomization sourceRef or HelmRelease chartRef.',
  },
);

/**
 * Flux ExternalArtifact (source.toolkit.fluxcd.io/v1): an artifact another controller makes (an
 * ArtifactGenerator declares the ones it makes), which Kustomizations and HelmReleases may name.
 */
export const externalArtifact: GitOpsKind = {
  groupKinds: [{ group: GROUP, kind: 'ExternalArtifact' }],
  matches: (apiVersion, kind) => kind === 'ExternalArtifact' && apiVersion.startsWith(`${GROUP}/`),
  schemas: [V1],
  declaredSources: (root) => {
    const name = nodeAt(root, 'metadata', 'name');
    return declared(
      'ExternalArtifact',
      scalarString(nodeAt(root, 'metadata', 'namespace')) ?? 'default',
      scalarString(name),
      rangeOf(name),
    );
  },
  // Other controllers than source-watcher create ExternalArtifacts too, outside any repository.
  missingSource: (name, namespace) => ({
    severity: 'info',
    message: `No ArtifactGenerator in the workspace makes an ExternalArtifact "${name}" in namespace "${namespace}"; check the name unless another controller creates it`,
  }),
};
