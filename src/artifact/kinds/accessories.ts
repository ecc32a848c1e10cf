import type { ArtifactKind } from './artifactKind';

// Signatures, SBOMs and attestations, by the artifactType (or config type) their tools write:
// cosign (sigstore/cosign pkg/oci/static, pkg/types), sigstore-go bundles (protobuf-specs
// media types), notation (notaryproject/specs signature-specification.md), SPDX and CycloneDX
// as cosign attach sbom and syft write them, in-toto statements.

const byType = (id: string, label: string, icon: string, accessory: ArtifactKind['accessory'], test: (type: string) => boolean) =>
  ({ id, label, icon, accessory, matches: (t) => t.type !== undefined && test(t.type) }) satisfies ArtifactKind;

export const cosignSignature: ArtifactKind = {
  id: 'cosign-signature',
  label: 'Cosign signature',
  icon: 'verified',
  accessory: 'signature',
  // The legacy `.sig` tag's manifest has an image config and simple-signing layers, no artifactType.
  matches: (t) =>
    t.type === 'application/vnd.dev.cosign.artifact.sig.v1+json' ||
    (!t.index && t.layers.includes('application/vnd.dev.cosign.simplesigning.v1+json')),
};
export const cosignAttestation = byType(
  'cosign-attestation',
  'Cosign attestation',
  'law',
  'attestation',
  (type) => type === 'application/vnd.dev.cosign.artifact.att.v1+json',
);
export const sigstoreBundle = byType('sigstore-bundle', 'Sigstore bundle', 'verified', 'signature', (type) =>
  type.startsWith('application/vnd.dev.sigstore.bundle'),
);
export const notationSignature = byType(
  'notation-signature',
  'Notation signature',
  'verified',
  'signature',
  (type) => type === 'application/vnd.cncf.notary.signature',
);
export const sbomSpdx = byType('sbom-spdx', 'SBOM (SPDX)', 'checklist', 'sbom', (type) => type.startsWith('application/spdx'));
export const sbomCycloneDx = byType('sbom-cyclonedx', 'SBOM (CycloneDX)', 'checklist', 'sbom', (type) =>
  type.startsWith('application/vnd.cyclonedx'),
);
export const inTotoAttestation = byType('in-toto-attestation', 'In-toto attestation', 'law', 'attestation', (type) =>
  type.startsWith('application/vnd.in-toto'),
);
