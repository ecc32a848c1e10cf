import { isMap, isSeq, type Document } from 'yaml';
import { nodeAt, pairOf, rangeOf, scalarString } from './documents';

/** What a consumer needs to know of a source it points at. */
export interface SourceFacts {
  /** `layerSelector` takes the Helm chart layer with `operation: copy`, as a HelmRelease needs. */
  selectsHelmChart: boolean;
}

/**
 * The sources that exist, for checking what Kustomizations and HelmReleases point at: keyed by
 * {@link sourceKey}. OCIRepositories come from OCIRepository documents and from FluxInstances
 * that sync from OCI; ExternalArtifacts from ArtifactGenerators and ExternalArtifact documents.
 */
export type SourceIndex = Map<string, SourceFacts>;

/** The kinds of source whose existence in the workspace we check. */
export type IndexedSourceKind = 'OCIRepository' | 'ExternalArtifact';

/** `namespace/name` for an OCIRepository, `Kind:namespace/name` for the other kinds. */
export function sourceKey(kind: IndexedSourceKind, namespace: string, name: string): string {
  return kind === 'OCIRepository' ? `${namespace}/${name}` : `${kind}:${namespace}/${name}`;
}

/** The name `flux bootstrap`, `flux install` and a FluxInstance give the cluster's own source and Kustomization. */
export const CLUSTER_SYNC_NAME = 'flux-system';

export const HELM_CHART_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';

/** A source a document brings into existence, and where its name is written. */
export interface DeclaredSource {
  key: string;
  facts: SourceFacts;
  range?: [number, number];
}

/**
 * The sources one document declares: an OCIRepository; the OCIRepository a FluxInstance syncs
 * from (named after `spec.sync.name`, else after the instance's namespace, in that namespace);
 * an ExternalArtifact; the ExternalArtifacts an ArtifactGenerator makes (`spec.artifacts[].name`).
 */
export function declaredSources(doc: Document.Parsed): DeclaredSource[] {
  const contents = doc.contents;
  if (!isMap(contents)) return [];
  const apiVersion = scalarString(contents.get('apiVersion', true)) ?? '';
  const kind = scalarString(contents.get('kind', true));
  const nameNode = nodeAt(contents, 'metadata', 'name');
  const name = scalarString(nameNode);
  const namespace = scalarString(nodeAt(contents, 'metadata', 'namespace'));
  const declared = (
    sourceKind: IndexedSourceKind,
    ns: string,
    sourceName: string | undefined,
    range: [number, number] | undefined,
    selectsHelmChart = false,
  ): DeclaredSource[] =>
    sourceName ? [{ key: sourceKey(sourceKind, ns, sourceName), facts: { selectsHelmChart }, ...(range ? { range } : {}) }] : [];
  if (apiVersion.startsWith('source.toolkit.fluxcd.io/') && kind === 'OCIRepository') {
    const selectsHelmChart =
      scalarString(nodeAt(contents, 'spec', 'layerSelector', 'mediaType')) === HELM_CHART_LAYER &&
      scalarString(nodeAt(contents, 'spec', 'layerSelector', 'operation')) === 'copy';
    return declared('OCIRepository', namespace ?? 'default', name, rangeOf(nameNode), selectsHelmChart);
  }
  if (apiVersion.startsWith('source.toolkit.fluxcd.io/') && kind === 'ExternalArtifact')
    return declared('ExternalArtifact', namespace ?? 'default', name, rangeOf(nameNode));
  if (apiVersion.startsWith('fluxcd.controlplane.io/') && kind === 'FluxInstance') {
    if (scalarString(nodeAt(contents, 'spec', 'sync', 'kind')) !== 'OCIRepository') return [];
    // The operator lives in flux-system and so, by convention, does the one FluxInstance it accepts.
    const ns = namespace ?? CLUSTER_SYNC_NAME;
    const syncName = nodeAt(contents, 'spec', 'sync', 'name');
    return declared(
      'OCIRepository',
      ns,
      scalarString(syncName) ?? ns,
      rangeOf(syncName) ?? rangeOf(pairOf(nodeAt(contents, 'spec'), 'sync')?.key),
    );
  }
  if (apiVersion.startsWith('source.extensions.fluxcd.io/') && kind === 'ArtifactGenerator') {
    const artifacts = nodeAt(contents, 'spec', 'artifacts');
    if (!isSeq(artifacts)) return [];
    return artifacts.items.flatMap((_, index) => {
      const artifactName = nodeAt(artifacts, index, 'name');
      return declared('ExternalArtifact', namespace ?? 'default', scalarString(artifactName), rangeOf(artifactName));
    });
  }
  return [];
}

/** Adds sources to an index; when two documents declare the same source, what either says of its chart layer counts. */
export function addSources(index: SourceIndex, sources: DeclaredSource[]): SourceIndex {
  for (const { key, facts } of sources) {
    const known = index.get(key);
    index.set(key, known ? { selectsHelmChart: known.selectsHelmChart || facts.selectsHelmChart } : facts);
  }
  return index;
}

/**
 * Whether the index holds a source. An ArtifactGenerator with a pathPattern names its artifacts
 * with `{capture}` placeholders (`{app}-manifests`); a name matches those by pattern.
 */
export function holdsSource(index: SourceIndex, key: string): boolean {
  if (index.has(key)) return true;
  for (const candidate of index.keys()) {
    if (!candidate.includes('{')) continue;
    const pattern = new RegExp(
      `^${candidate
        .split(/\{[^}]*\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]+')}$`,
    );
    if (pattern.test(key)) return true;
  }
  return false;
}
