import { isMap, type YAMLMap } from 'yaml';
import { kindOf } from '../kinds';
import { parseManifests } from '../documents';
import type { SemverSite } from './types';

export type { SemverSite } from './types';

/**
 * Every semver constraint of a file that a controller resolves against a registry (kinds/*:
 * `semverSites`). `elsewhere`: source documents of other workspace files, after the file's own.
 */
export function semverSites(text: string, elsewhere: readonly YAMLMap[] = []): SemverSite[] {
  const documents = parseManifests(text).documents;
  const file = [...(documents.map((d) => d.doc.contents).filter((c) => isMap(c)) as YAMLMap[]), ...elsewhere];
  return documents.flatMap(({ doc, apiVersion, kind }) => {
    const root = doc.contents;
    if (!isMap(root)) return [];
    return kindOf(apiVersion, kind)?.semverSites?.(root, file) ?? [];
  });
}

export { writtenScalar } from './written';
