import type { Document } from 'yaml';
import { kindOfDocument } from '../kinds';
import type { SourceIndex } from '../sources';
import type { LiveTarget } from './liveTarget';

export type { LiveTarget, Selector } from './liveTarget';

/**
 * The registry references in one parsed document (offsets into its text), as its kind finds them
 * (kinds/*: `liveTargets`). Only what passes the offline rules' grammar becomes a target: a
 * malformed url is already an error, and asking the registry about it would only add noise. A
 * partial object (`whole` false, a kustomize patch) is asked about only when it names both the
 * repository and what to take from it.
 */
export function liveTargetsOf(doc: Document.Parsed, whole = true, sources?: SourceIndex): LiveTarget[] {
  if (doc.errors.length > 0) return [];
  const ours = kindOfDocument(doc);
  return ours?.kind.liveTargets?.(ours.root, whole, sources) ?? [];
}
