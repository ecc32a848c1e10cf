import { isMap, type Document } from 'yaml';
import { nodeAt, parseManifests, rangeOf, scalarString } from './documents';
import { declaredSources, sourceKey } from './sources';

/** Where a Kustomization's `sourceRef` or a HelmRelease's `chartRef` names a source we index. */
export interface SourceReference {
  /** The {@link sourceKey} of the source it names. */
  key: string;
  range: [number, number];
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

function referencesOf(doc: Document.Parsed): SourceReference[] {
  const contents = doc.contents;
  if (!isMap(contents)) return [];
  const kind = scalarString(contents.get('kind', true));
  const path = kind === 'Kustomization' ? ['spec', 'sourceRef'] : kind === 'HelmRelease' ? ['spec', 'chartRef'] : undefined;
  const sourceKind = path ? scalarString(nodeAt(contents, ...path, 'kind')) : undefined;
  if (!path || (sourceKind !== 'OCIRepository' && sourceKind !== 'ExternalArtifact')) return [];
  const nameNode = nodeAt(contents, ...path, 'name');
  const name = scalarString(nameNode);
  const range = rangeOf(nameNode);
  if (!name || !range) return [];
  const namespace =
    scalarString(nodeAt(contents, ...path, 'namespace')) ?? scalarString(nodeAt(contents, 'metadata', 'namespace')) ?? 'default';
  return [{ key: sourceKey(sourceKind, namespace, name), range }];
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
