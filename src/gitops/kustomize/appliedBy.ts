import { isMap, isScalar, Pair, Scalar, YAMLMap, type Document } from 'yaml';
import type { Diagnostic } from '../diagnostic';
import { pairOf } from '../documents';
import { applyPatch, type FluxPatch } from './fluxPatches';
import { relocate } from '../yamlAliases';

/**
 * What applies a file to the cluster, as far as the workspace shows it: the Flux Kustomization
 * whose `spec.path` holds it (directly or through the kustomizations it builds), and the
 * kustomize `namespace:` over it. Its objects are judged as they reach the cluster.
 */
export interface AppliedBy {
  /** The Flux Kustomization that applies the file (`namespace/name`), when the workspace holds it. */
  kustomization?: string;
  /** The `namespace:` of the kustomization.yaml that builds the file (the outermost one wins). */
  kustomizeNamespace?: string;
  /** The Flux Kustomization's `spec.targetNamespace`. */
  targetNamespace?: string;
  /** The Flux Kustomization's `spec.patches`, in order. */
  patches: FluxPatch[];
  /** Whether it runs `postBuild` substitution; undefined when no Flux Kustomization is known to apply the file. */
  substitutes?: boolean;
}

/** What applying a file did to one document: the keys its patches set. */
export interface Applied {
  patchedKeys: Set<string>;
}

/**
 * Makes a document what the cluster gets from it: kustomize's namespace, then the Flux
 * Kustomization's patches (kustomize runs its patch transformers before its namespace
 * transformer), then its targetNamespace. What this brings in points at the document's `kind`.
 */
export function applyTo(doc: Document.Parsed, appliedBy: AppliedBy | undefined): Applied {
  const patchedKeys = new Set<string>();
  const root = doc.contents;
  if (!appliedBy || !isMap(root) || doc.errors.length > 0) return { patchedKeys };
  const kind = pairOf(root, 'kind');
  const range = (kind?.value as Scalar | undefined)?.range ?? root.range ?? [0, 0, 0];
  const at: [number, number, number] = [range[0], range[1], range[2]];
  if (appliedBy.kustomizeNamespace) setNamespace(root, appliedBy.kustomizeNamespace, at);
  for (const patch of appliedBy.patches) applyPatch(doc, patch, at)?.forEach((key) => patchedKeys.add(key));
  if (appliedBy.targetNamespace) setNamespace(root, appliedBy.targetNamespace, at);
  return { patchedKeys };
}

/**
 * Findings about a value that holds a Flux postBuild variable (`${cluster}`, `${interval:=10m}`):
 * its value is known only in the cluster, so nothing is said about it, unless the Flux
 * Kustomization known to apply the file runs no substitution (then `${…}` is what the cluster
 * gets). `$${…}` is an escaped, literal one.
 */
export function withoutSubstituted(found: Diagnostic[], text: string, appliedBy: AppliedBy | undefined): Diagnostic[] {
  if (appliedBy?.substitutes === false || !text.includes('${')) return found;
  return found.filter((d) => !/(^|[^$])\$\{[^}]*\}/.test(text.slice(d.start, d.end)));
}

function setNamespace(root: YAMLMap, namespace: string, at: [number, number, number]): void {
  const written: unknown = root.get('metadata', true);
  let map: YAMLMap;
  if (isMap(written)) map = written;
  else {
    map = new YAMLMap();
    relocate(map, at);
    root.items.push(new Pair(placedScalar('metadata', at), map));
  }
  const existing = pairOf(map, 'namespace');
  if (existing && isScalar(existing.value)) {
    // Kept where it is written, so a finding about it still points at it.
    existing.value.value = namespace;
    return;
  }
  if (existing) existing.value = placedScalar(namespace, at);
  else map.items.push(new Pair(placedScalar('namespace', at), placedScalar(namespace, at)));
}

function placedScalar(value: string, at: [number, number, number]): Scalar {
  const scalar = new Scalar(value);
  relocate(scalar, at);
  return scalar;
}
