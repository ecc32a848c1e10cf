import type { KindSchema } from '../contract/kindSchema';
import { kubernetesObject, type JsonSchema } from './fieldSpec';

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
