import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { resolveAliases } from './yamlAliases';

/** One YAML document of a file, with what identifies its Kubernetes kind. */
export interface ManifestDocument {
  doc: Document.Parsed;
  apiVersion?: string;
  kind?: string;
}

export interface ParsedFile {
  documents: ManifestDocument[];
  lineCounter: LineCounter;
  /** YAML syntax errors, as offsets. */
  syntaxErrors: { message: string; start: number; end: number }[];
}

/** Parses every document of a file, keeping source ranges for precise diagnostics. */
export function parseManifests(text: string): ParsedFile {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, keepSourceTokens: false, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [];
  const syntaxErrors: ParsedFile['syntaxErrors'] = [];
  const documents: ManifestDocument[] = [];
  for (const doc of list) {
    for (const error of doc.errors)
      syntaxErrors.push({ message: error.message.split('\n')[0], start: error.pos[0], end: Math.max(error.pos[1], error.pos[0] + 1) });
    resolveAliases(doc);
    const contents = doc.contents;
    const apiVersion = isMap(contents) ? scalarString(contents.get('apiVersion', true)) : undefined;
    const kind = isMap(contents) ? scalarString(contents.get('kind', true)) : undefined;
    documents.push({ doc, apiVersion, kind });
  }
  return { documents, lineCounter, syntaxErrors };
}

/**
 * Why a text cannot be read as YAML (its first syntax error, with its line), or undefined when it
 * can. For files we do not otherwise check, so a tool can name them rather than pass them over.
 */
export function yamlProblem(text: string): string | undefined {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, logLevel: 'silent' });
  for (const doc of Array.isArray(docs) ? docs : []) {
    const error = doc.errors[0];
    if (error) return `line ${lineCounter.linePos(error.pos[0]).line}: ${error.message.split('\n')[0]}`;
  }
  return undefined;
}

export function scalarString(node: unknown): string | undefined {
  if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number' || typeof node.value === 'boolean'))
    return String(node.value);
  return undefined;
}

/** The node at a path of map keys, or undefined. */
export function nodeAt(root: unknown, ...path: (string | number)[]): Node | undefined {
  let current: unknown = root;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!isSeq(current)) return undefined;
      current = current.items[key];
    } else {
      if (!isMap(current)) return undefined;
      current = current.get(key, true);
    }
  }
  return current as Node | undefined;
}

/** The pair whose key is `key` in a map (to point at the key when the value is missing or wrong). */
export function pairOf(map: unknown, key: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  return (map as YAMLMap).items.find((p) => isScalar(p.key) && p.key.value === key) as Pair | undefined;
}

/** Source range of a node, or of a map's key when `key` is given. */
export function rangeOf(node: unknown): [number, number] | undefined {
  const range = (node as { range?: [number, number, number] } | undefined)?.range;
  return range ? [range[0], range[1]] : undefined;
}
