import { kubernetesObject, type JsonSchema } from './fieldSpec';

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

/** The schema of a whole object of one apiVersion and kind, around the JSON Schema of its spec. */
export function kindSchema(
  apiVersion: string,
  kind: string,
  spec: JsonSchema,
  options: { definitions?: Record<string, JsonSchema>; required?: string[]; description: string; deprecated?: string },
): KindSchema {
  return {
    apiVersion,
    kind,
    uri: `oci-gitops://schemas/${apiVersion}/${kind}.json`,
    schema: kubernetesObject(apiVersion, kind, spec, options),
    ...(options.deprecated ? { deprecated: options.deprecated } : {}),
  };
}
