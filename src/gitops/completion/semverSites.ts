import { isMap, type YAMLMap } from 'yaml';
import { kindOf } from '../kinds';
import { parseManifests } from '../documents';
import type { SemverSite } from './types';

export type { SemverSite } from './types';

/** Every semver constraint of a file that a controller resolves against a registry (kinds/*: `semverSites`). */
export function semverSites(text: string): SemverSite[] {
  const documents = parseManifests(text).documents;
  const file = documents.map((d) => d.doc.contents).filter((c) => isMap(c)) as YAMLMap[];
  return documents.flatMap(({ doc, apiVersion, kind }) => {
    const root = doc.contents;
    if (!isMap(root)) return [];
    return kindOf(apiVersion, kind)?.semverSites?.(root, file) ?? [];
  });
}

export { writtenScalar } from './written';
