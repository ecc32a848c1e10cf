import { nodeAt, scalarString } from '../documents';

/** How a manifest selects its artifact, in the controller's precedence. */
export type Selector =
  { type: 'digest'; value: string } | { type: 'semver'; value: string; filter?: string } | { type: 'tag'; value: string };

/** A reference to a registry artifact that a manifest makes, with the places to point at. */
export interface LiveTarget {
  /** The kind of the object that makes it, e.g. OCIRepository. */
  kind: string;
  /** `namespace/name` of the object, for messages. */
  object: string;
  /** The controller that pulls the artifact: whose rules about its layers apply. */
  controller: 'flux' | 'argo-cd' | 'kubelet';
  /** The documentation findings about it link to. */
  docs: string;
  host: string;
  repository: string;
  selector: Selector;
  /** Where a CodeLens and findings about the artifact go: the ref value, else the url. */
  range: [number, number];
  /** The repository url's value, for findings about the repository. */
  urlRange: [number, number];
  /**
   * The `key: value` pair that holds a tag or constraint, which "pin to digest" replaces with
   * `digestKey: <digestPrefix><digest>` (the prefix is `host/repository@` for a field that holds
   * a whole image reference).
   */
  pin?: { start: number; end: number; key: string; value: string; digestKey: string; digestPrefix?: string };
  /** Flux `spec.verify`. */
  verify?: { provider: string; secretName?: string; trustedRootSecretName?: string; identities: { issuer?: string; subject?: string }[] };
  /** Flux `spec.layerSelector.mediaType`. */
  layerMediaType?: string;
  /** Argo CD source with `chart` (a Helm chart rather than plain manifests). */
  helmChart?: boolean;
}

/** `namespace/name` of an object, for messages. */
export function objectName(root: unknown): string {
  return `${scalarString(nodeAt(root, 'metadata', 'namespace')) ?? 'default'}/${scalarString(nodeAt(root, 'metadata', 'name')) ?? ''}`;
}
