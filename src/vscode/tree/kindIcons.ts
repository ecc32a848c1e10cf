import type { ArtifactKind } from '../../artifact/kind';

/** Codicons per artifact kind, so a glance at the tree tells manifests from charts from signatures. */
export const KIND_ICONS: Record<ArtifactKind, string> = {
  'flux-manifests': 'sync',
  'manifests-tarball': 'package',
  'oras-files': 'files',
  'helm-chart': 'library',
  'container-image': 'vm',
  'image-index': 'layers',
  'cosign-signature': 'verified',
  'cosign-attestation': 'law',
  'sigstore-bundle': 'verified',
  'notation-signature': 'verified',
  'sbom-spdx': 'checklist',
  'sbom-cyclonedx': 'checklist',
  'in-toto-attestation': 'law',
  unknown: 'question',
};
