import { isMap, type Document, type YAMLMap } from 'yaml';
import type { CompletionSite, SemverSite } from './contract/completionSite';
import type { LiveTarget } from './contract/liveTarget';
import { parseManifests, scalarString } from './documents';
import { kindOf, kindOfDocument } from './kinds';
import { valueAt } from './completion/site';
import { chartValuesKeys, keyBeingTyped, type ValuesAnswer } from './completion/valuesCompletion';
import type { RegistryAccess, RegistryFacts } from './completion/registryFacts';
import type { SourceIndex } from './sources';

// Questions about a file that each kind answers (kinds/*), asked through the kinds table. They
// live here, beside the table's other callers (engine, validator, sourceReferences), so that
// completion/, live/, rules/ and schemas/ are written against the contract (contract/) alone and
// never reach back into the kinds.

/** The document roots of a file that are maps, then the source documents of other files. */
function rootsOf(documents: { doc: Document.Parsed }[], elsewhere: readonly YAMLMap[]): YAMLMap[] {
  return [...(documents.map((d) => d.doc.contents).filter((c) => isMap(c)) as YAMLMap[]), ...elsewhere];
}

/**
 * Which registry answer fits the value under the cursor (registries and repositories for a url;
 * tags, versions or digests for a ref), as the document's kind says (`completionSite`).
 * `elsewhere`: source documents of other workspace files, after the file's own (a HelmRelease's
 * OCI HelmRepository may sit beside it or anywhere in the workspace).
 */
export function completionSiteAt(text: string, offset: number, elsewhere: readonly YAMLMap[] = []): CompletionSite | undefined {
  const at = valueAt(text, offset);
  if (!at) return undefined;
  const kind = kindOf(scalarString(at.root.get('apiVersion', true)), scalarString(at.root.get('kind', true)));
  if (!kind?.completionSite) return undefined;
  return kind.completionSite(at.root, at, rootsOf(parseManifests(text).documents, elsewhere));
}

/**
 * Every semver constraint of a file that a controller resolves against a registry
 * (`semverSites`). `elsewhere`: source documents of other workspace files, after the file's own.
 */
export function semverSites(text: string, elsewhere: readonly YAMLMap[] = []): SemverSite[] {
  const documents = parseManifests(text).documents;
  const file = rootsOf(documents, elsewhere);
  return documents.flatMap(({ doc, apiVersion, kind }) => {
    const root = doc.contents;
    if (!isMap(root)) return [];
    return kindOf(apiVersion, kind)?.semverSites?.(root, file) ?? [];
  });
}

/**
 * The documents of a file that declare a source (an OCIRepository, a HelmRepository, …): what
 * completion in other files resolves a chartRef or chart.spec.sourceRef against.
 */
export function sourceDocuments(text: string): YAMLMap[] {
  return parseManifests(text)
    .documents.filter(({ doc, apiVersion, kind }) => {
      const root = doc.contents;
      return isMap(root) && (kindOf(apiVersion, kind)?.declaredSources?.(root).length ?? 0) > 0;
    })
    .map(({ doc }) => doc.contents as YAMLMap);
}

/**
 * The registry references in one parsed document (offsets into its text), as its kind finds them
 * (`liveTargets`). Only what passes the offline rules' grammar becomes a target: a malformed url
 * is already an error, and asking the registry about it would only add noise. A partial object
 * (`whole` false, a kustomize patch) is asked about only when it names both the repository and
 * what to take from it.
 */
export function liveTargetsOf(doc: Document.Parsed, whole = true, sources?: SourceIndex): LiveTarget[] {
  if (doc.errors.length > 0) return [];
  const ours = kindOfDocument(doc);
  return ours?.kind.liveTargets?.(ours.root, whole, sources) ?? [];
}

/**
 * Keys of the chart's values.yaml for a key being typed inside a Helm values map, for the chart
 * version the manifest resolves to today (the chart as the document's kind names it:
 * `chartValuesAt`). Undefined when the cursor is not in one.
 */
export async function completeValuesKeys(
  text: string,
  offset: number,
  facts: RegistryFacts,
  access: Pick<RegistryAccess, 'repository'>,
  /** Source documents of other workspace files (an OCIRepository or HelmRepository declared elsewhere), after the file's own. */
  elsewhere: readonly YAMLMap[] = [],
): Promise<ValuesAnswer | undefined> {
  const key = keyBeingTyped(text, offset, elsewhere);
  const found = key && kindOf(key.apiVersion, key.kind)?.chartValuesAt?.(key.root, key.at, key.roots);
  return found ? chartValuesKeys(found, key.span, facts, access) : undefined;
}
