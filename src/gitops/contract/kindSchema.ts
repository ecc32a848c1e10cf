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
