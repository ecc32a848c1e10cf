import { isScalar } from 'yaml';
import { scalarString } from '../documents';

/** A scalar's text as written: YAML reads `1.10` as the number 1.1, a version or constraint never. */
export function writtenScalar(node: unknown): string | undefined {
  if (isScalar(node) && typeof node.source === 'string' && node.source !== '') return node.source;
  return scalarString(node);
}
