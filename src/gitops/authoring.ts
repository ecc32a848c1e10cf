import { isMap, parseDocument } from 'yaml';
import type { CompletionItem, CompletionList, Hover, Range } from 'yaml-language-server';
import { splitDocuments, type DocumentChunk } from './documentChunks';
import { scalarString } from './documents';
import type { SchemaService } from './schemaService';

/**
 * Completion and hover from our schemas, for the document under the cursor only: a file of a
 * thousand documents costs one, and documents of other kinds get no answer, so other YAML tooling
 * is not second-guessed.
 */
export async function completeAt(service: SchemaService, text: string, offset: number): Promise<CompletionList | undefined> {
  const at = ourDocumentAt(service, text, offset);
  if (!at) return undefined;
  const list = await service.complete(at.chunk.text, at.line, at.character);
  return { isIncomplete: list.isIncomplete, items: list.items.map((item) => shiftItem(item, at.firstLine)) };
}

export async function hoverAt(service: SchemaService, text: string, offset: number): Promise<Hover | undefined> {
  const at = ourDocumentAt(service, text, offset);
  if (!at) return undefined;
  const hover = await service.hover(at.chunk.text, at.line, at.character);
  if (!hover) return undefined;
  return hover.range ? { ...hover, range: shiftRange(hover.range, at.firstLine) } : hover;
}

function ourDocumentAt(
  service: SchemaService,
  text: string,
  offset: number,
): { chunk: DocumentChunk; firstLine: number; line: number; character: number } | undefined {
  const chunk = splitDocuments(text).find((c) => offset >= c.offset && offset <= c.offset + c.text.length);
  if (!chunk) return undefined;
  const contents = parseDocument(chunk.text).contents;
  if (!isMap(contents) || !service.covers(scalarString(contents.get('apiVersion', true)), scalarString(contents.get('kind', true))))
    return undefined;
  const firstLine = countLines(text, chunk.offset);
  const before = chunk.text.slice(0, offset - chunk.offset);
  const line = countLines(before, before.length);
  return { chunk, firstLine, line, character: before.length - (before.lastIndexOf('\n') + 1) };
}

function countLines(text: string, end: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

function shiftRange(range: Range, by: number): Range {
  return {
    start: { line: range.start.line + by, character: range.start.character },
    end: { line: range.end.line + by, character: range.end.character },
  };
}

function shiftItem(item: CompletionItem, by: number): CompletionItem {
  const edit = item.textEdit;
  if (!edit) return item;
  if ('range' in edit) return { ...item, textEdit: { ...edit, range: shiftRange(edit.range, by) } };
  return { ...item, textEdit: { ...edit, insert: shiftRange(edit.insert, by), replace: shiftRange(edit.replace, by) } };
}
