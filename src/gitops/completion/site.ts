import { isMap, isPair, isScalar, isSeq, parseDocument, visit, type Pair, type YAMLMap } from 'yaml';
import { splitDocuments } from '../documentChunks';
import type { ValueAt } from '../contract/completionSite';
import { isAliasCopy, resolveAliases } from '../yamlAliases';

export type { CompletionSite, RepositoryRef } from '../contract/completionSite';

/**
 * The pair whose key sits on the cursor's line before the cursor, when the cursor is in (or right
 * after) its value: `tag: ` and `tag: 1.2` both qualify. Offsets are in the whole file.
 */
export function valueAt(text: string, offset: number): (ValueAt & { root: YAMLMap }) | undefined {
  const chunk = splitDocuments(text).find((c) => offset >= c.offset && offset <= c.offset + c.text.length);
  if (!chunk) return undefined;
  const local = offset - chunk.offset;
  const doc = parseDocument(chunk.text, { keepSourceTokens: false });
  resolveAliases(doc);
  if (!isMap(doc.contents)) return undefined;
  const lineStart = chunk.text.lastIndexOf('\n', local - 1) + 1;
  const lineEndRaw = chunk.text.indexOf('\n', local);
  const lineEnd = lineEndRaw === -1 ? chunk.text.length : lineEndRaw;
  let found: { pair: Pair; path: (string | number)[]; parent: YAMLMap } | undefined;
  visit(doc, {
    Pair(_, pair, ancestors) {
      const key = pair.key;
      // A pair an alias or merge key brought in is not written here: the cursor is never in it.
      if (!isScalar(key) || !key.range || isAliasCopy(key)) return undefined;
      if (key.range[0] < lineStart || key.range[1] > local) return undefined;
      const value = pair.value as { range?: [number, number, number] } | null;
      // A value that is not a scalar counts only when it starts on this line: `digest: sha256:` reads as a map while typed.
      if (value && !isScalar(value) && !(value.range && value.range[0] <= lineEnd)) return undefined;
      const path: (string | number)[] = [];
      let parent: YAMLMap | undefined;
      for (let i = 0; i < ancestors.length; i++) {
        const node = ancestors[i];
        if (isPair(node) && isScalar(node.key)) path.push(String(node.key.value));
        if (isSeq(node)) path.push(node.items.indexOf(ancestors[i + 1] as never));
        if (isMap(node)) parent = node;
      }
      path.push(String(key.value));
      if (parent) found = { pair, path, parent };
      return visit.BREAK;
    },
  });
  if (!found) return undefined;
  const value = found.pair.value;
  const keyEnd = (found.pair.key as { range: [number, number, number] }).range[1];
  let start: number;
  let end: number;
  if (isScalar(value) && value.range && value.range[0] < lineEnd && value.source !== undefined) {
    start = value.range[0];
    end = value.range[1];
    // Quotes are kept around the choice: complete what is inside them.
    const raw = chunk.text.slice(start, end);
    if (/^["']/.test(raw)) {
      start += 1;
      end = Math.max(start, end - (/["']$/.test(raw) && raw.length > 1 ? 1 : 0));
    }
    if (local < start || local > end) return undefined;
  } else {
    const afterColon = chunk.text.slice(keyEnd, lineEnd).match(/^\s*:\s*/);
    if (!afterColon) return undefined;
    start = keyEnd + afterColon[0].length;
    end = Math.max(start, lineEnd);
    if (local < start) return undefined;
  }
  return {
    root: doc.contents,
    path: found.path,
    parent: found.parent,
    typed: chunk.text.slice(start, local),
    start: start + chunk.offset,
    end: end + chunk.offset,
  };
}
