import type { Document } from 'yaml';
import { parseManifests } from './documents';
import { isResolvedSourceKind, kindOfDocument } from './kinds';
import { sourceKey, type DeclaredSource } from './sources';

/** Where a Kustomization's `sourceRef` or a HelmRelease's `chartRef` names a source we index. */
export interface SourceReference {
  /** The {@link sourceKey} of the source it names. */
  key: string;
  range: [number, number];
}

/**
 * The sources one document declares, as its kind says (kinds/*: an OCIRepository itself, the
 * source a FluxInstance syncs from, the ExternalArtifacts an ArtifactGenerator makes…).
 */
export function declaredSources(doc: Document.Parsed): DeclaredSource[] {
  const ours = kindOfDocument(doc);
  return ours?.kind.declaredSources?.(ours.root) ?? [];
}

/** The source reference whose name is at `offset`, for go-to-definition. */
export function sourceReferenceAt(text: string, offset: number): SourceReference | undefined {
  for (const { doc } of parseManifests(text).documents) {
    const range = doc.contents?.range;
    if (!range || offset < range[0] || offset > range[2]) continue;
    return referencesOf(doc).find((r) => offset >= r.range[0] && offset <= r.range[1]);
  }
  return undefined;
}

/** The references of a document to sources whose declarations we index. */
function referencesOf(doc: Document.Parsed): SourceReference[] {
  const ours = kindOfDocument(doc);
  return (ours?.kind.referencesSources?.(ours.root) ?? [])
    .filter((source) => isResolvedSourceKind(source.kind))
    .map((source) => ({ key: sourceKey(source.kind, source.namespace, source.name), range: source.range }));
}

/**
 * Where each source of a file is declared, by its key: an OCIRepository's `metadata.name`, a
 * FluxInstance's `spec.sync`, an ArtifactGenerator's `spec.artifacts[].name`.
 */
export function sourceDeclarations(text: string): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const { doc } of parseManifests(text).documents) {
    for (const source of declaredSources(doc)) if (source.range && !out.has(source.key)) out.set(source.key, source.range);
  }
  return out;
}
