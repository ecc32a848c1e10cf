import { applicationV1alpha1 } from './application';
import { artifactGeneratorV1beta1 } from './artifactGenerator';
import { externalArtifactV1 } from './externalArtifact';
import { fluxInstanceV1 } from './fluxInstance';
import { helmReleaseV2 } from './helmRelease';
import { kustomizationV1 } from './kustomization';
import { OCI_REPOSITORY_V1BETA2_DEPRECATED, ociRepositoryV1, ociRepositoryV1beta2 } from './ociRepository';
import { resourceSetV1 } from './resourceSet';

/** A schema of ours for one apiVersion and kind. */
export interface KindSchema {
  apiVersion: string;
  kind: string;
  /** Stable id the language service knows the schema by; never fetched. */
  uri: string;
  /** JSON Schema (draft-07) of the whole document. */
  schema: Record<string, unknown>;
  /** Why this apiVersion should not be used, when it should not. */
  deprecated?: string;
}

function entry(schema: Record<string, unknown>, deprecated?: string): KindSchema {
  const properties = schema.properties as { apiVersion: { enum: string[] }; kind: { enum: string[] } };
  const apiVersion = properties.apiVersion.enum[0];
  const kind = properties.kind.enum[0];
  return { apiVersion, kind, uri: `oci-gitops://schemas/${apiVersion}/${kind}.json`, schema, ...(deprecated ? { deprecated } : {}) };
}

export const kindSchemas: readonly KindSchema[] = [
  entry(ociRepositoryV1),
  entry(ociRepositoryV1beta2, OCI_REPOSITORY_V1BETA2_DEPRECATED),
  entry(kustomizationV1),
  entry(helmReleaseV2),
  entry(applicationV1alpha1),
  entry(externalArtifactV1),
  entry(artifactGeneratorV1beta1),
  entry(fluxInstanceV1),
  entry(resourceSetV1),
];
