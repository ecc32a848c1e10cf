import { isMap, type Document } from 'yaml';
import { nodeAt, parseManifests, rangeOf, scalarString } from './documents';

/** Where a Kustomization's `sourceRef` or a HelmRelease's `chartRef` names an OCIRepository. */
export interface SourceReference {
  /** `namespace/name` of the OCIRepository it names. */
  key: string;
  range: [number, number];
}

/** The OCIRepository reference whose name is at `offset`, for go-to-definition. */
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
  if (!path || scalarString(nodeAt(contents, ...path, 'kind')) !== 'OCIRepository') return [];
  const nameNode = nodeAt(contents, ...path, 'name');
  const name = scalarString(nameNode);
  const range = rangeOf(nameNode);
  if (!name || !range) return [];
  const namespace = scalarString(nodeAt(contents, ...path, 'namespace')) ?? scalarString(nodeAt(contents, 'metadata', 'namespace')) ?? 'default';
  return [{ key: `${namespace}/${name}`, range }];
}

/** Where each OCIRepository of a file is declared (its `metadata.name`), by `namespace/name`. */
export function sourceDeclarations(text: string): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const { doc, kind, apiVersion } of parseManifests(text).documents) {
    if (kind !== 'OCIRepository' || !apiVersion?.startsWith('source.toolkit.fluxcd.io/')) continue;
    const nameNode = nodeAt(doc.contents, 'metadata', 'name');
    const name = scalarString(nameNode);
    const range = rangeOf(nameNode);
    if (!name || !range) continue;
    out.set(`${scalarString(nodeAt(doc.contents, 'metadata', 'namespace')) ?? 'default'}/${name}`, range);
  }
  return out;
}
