import type { ArtifactKind } from './artifactKind';

/** A container image: an image config (OCI or Docker's), layers that are file systems. */
export const image: ArtifactKind = {
  id: 'image',
  label: 'Container image',
  icon: 'vm',
  matches: (t) =>
    !t.index && (t.config === 'application/vnd.oci.image.config.v1+json' || t.config === 'application/vnd.docker.container.image.v1+json'),
};

/** An index without an artifactType: a multi-platform image. */
export const imageIndex: ArtifactKind = {
  id: 'image-index',
  label: 'Image index',
  icon: 'layers',
  matches: (t) => t.index && !t.artifactType,
};
