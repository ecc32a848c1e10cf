import { isMap, type YAMLMap } from 'yaml';
import { parseManifests } from '../documents';
import { kindOf } from '../kinds';

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
