import { fields, kubernetesObject } from './fieldSpec';

export const externalArtifactV1 = kubernetesObject(
  'source.toolkit.fluxcd.io/v1',
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
