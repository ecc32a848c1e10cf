import { compileGoRegexp } from '../text/goRegexp';
import type { Diagnostic } from './diagnostic';

/** What a consumer needs to know of a source it points at. */
export interface SourceFacts {
  /** `layerSelector` takes the Helm chart layer with `operation: copy`, as a HelmRelease needs. */
  selectsHelmChart: boolean;
  /** A HelmRepository of `type: oci`: its `oci://registry/path` url, which a chart's name is appended to. */
  ociHelmRepository?: string;
}

/**
 * The sources that exist, for checking what Kustomizations and HelmReleases point at: keyed by
 * {@link sourceKey}, filled from what each kind declares (kinds/*: `declaredSources`).
 */
export type SourceIndex = Map<string, SourceFacts>;

/**
 * `namespace/name` for an OCIRepository (the first kind indexed: the editor's index and the tests
 * spell its keys so), `Kind:namespace/name` for the other kinds.
 */
export function sourceKey(kind: string, namespace: string, name: string): string {
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

/** The declaration of a source of `kind`; none when it has no name yet. */
export function declared(
  kind: string,
  namespace: string,
  name: string | undefined,
  range: [number, number] | undefined,
  facts: SourceFacts = { selectsHelmChart: false },
): DeclaredSource[] {
  return name ? [{ key: sourceKey(kind, namespace, name), facts, ...(range ? { range } : {}) }] : [];
}

/** What a reference to a source the workspace does not declare is told. */
export interface MissingSource {
  severity: Diagnostic['severity'];
  message: string;
}

/** The sources a rule resolves references against. */
export interface KnownSources {
  readonly index: SourceIndex;
  /**
   * What a reference to the source of `kind` named `name` in `namespace` is told when the
   * workspace does not declare it; undefined when it does, or when sources of that kind are not
   * declared in YAML we read (a GitRepository), so their absence means nothing.
   */
  missing(kind: string, namespace: string, name: string): MissingSource | undefined;
}

/** Adds sources to an index; when two documents declare the same source, what either says of its chart layer counts. */
export function addSources(index: SourceIndex, sources: DeclaredSource[]): SourceIndex {
  for (const { key, facts } of sources) {
    const known = index.get(key);
    index.set(key, known ? { ...known, ...facts, selectsHelmChart: known.selectsHelmChart || facts.selectsHelmChart } : facts);
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
    // Go's linear-time engine: placeholders side by side (`{a}{b}{c}`) make a backtracking engine try
    // every way of cutting a long name between them.
    const pattern = compileGoRegexp(
      `^${candidate
        .split(/\{[^}]*\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]+')}$`,
    );
    if (pattern.test(key)) return true;
  }
  return false;
}
