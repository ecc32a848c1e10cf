/** One YAML document's slice of a multi-document file. */
export interface DocumentChunk {
  text: string;
  /** Offset of the slice in the file. */
  offset: number;
}

/**
 * Splits a file at its `---` document markers, so each document can be validated and cached on
 * its own. A marker at the start of a line always ends the previous document in YAML (even a
 * block scalar cannot hold one), so the split agrees with any conforming parser. The marker line
 * stays with the document it opens; every slice starts at a line start, which keeps columns exact.
 */
export function splitDocuments(text: string): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  const marker = /^---(?=[ \t\r\n]|$)/gm;
  let start = 0;
  for (let match = marker.exec(text); match; match = marker.exec(text)) {
    const before = text.slice(start, match.index);
    // Directives and comments before a marker belong to the document the marker opens.
    if (!onlyPreamble(before)) {
      chunks.push({ text: before, offset: start });
      start = match.index;
    }
  }
  chunks.push({ text: text.slice(start), offset: start });
  return chunks;
}

function onlyPreamble(slice: string): boolean {
  return slice.split('\n').every((line) => /^\s*(#.*)?$/.test(line) || line.startsWith('%'));
}
