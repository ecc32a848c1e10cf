import { isMap, isScalar, isSeq, type Document } from 'yaml';
import { nodeAt, scalarString } from '../documents';
import { kindOf } from '../kinds';
import type { FileRole } from './kustomizeIndex';

/** Strategic merge directives: only a patch holds them. */
const DIRECTIVE = /^\$(patch|retainKeys|setElementOrder\/.+|deleteFromPrimitiveList\/.+)$/;

/**
 * Whether a document of ours is, on its face, a partial object (a patch) rather than a whole one:
 * it holds a strategic merge directive, or none of the spec fields every whole object of its kind
 * has (`wholeObjectFields`): a kustomize patch that sets a few fields of an object whose required
 * fields live elsewhere (the podinfo `spec.values` of flux2-kustomize-helm-example, the `spec.path`
 * of each flux2-multi-tenancy tenant). Kinds without required spec fields are never taken for fragments.
 */
export function looksPartial(contents: unknown): boolean {
  if (!isMap(contents)) return false;
  if (holdsDirective(contents, 0)) return true;
  const fields = kindOf(scalarString(contents.get('apiVersion', true)), scalarString(contents.get('kind', true)))?.wholeObjectFields;
  if (!fields) return false;
  return !fields.some((path) => nodeAt(contents, 'spec', ...path) !== undefined);
}

/**
 * Whether a document is checked as a partial object: every document of a file a kustomization
 * names as a patch; none of a file it names as a resource; otherwise the ones that look partial.
 */
export function isPartialDocument(doc: Document.Parsed, role: FileRole | undefined): boolean {
  if (role === 'patch') return true;
  if (role === 'resource') return false;
  return looksPartial(doc.contents);
}

function holdsDirective(node: unknown, depth: number): boolean {
  if (depth > 64) return false;
  if (isMap(node))
    return node.items.some(
      (pair) =>
        (isScalar(pair.key) && typeof pair.key.value === 'string' && DIRECTIVE.test(pair.key.value)) ||
        holdsDirective(pair.value, depth + 1),
    );
  if (isSeq(node)) return node.items.some((item) => holdsDirective(item, depth + 1));
  return false;
}
