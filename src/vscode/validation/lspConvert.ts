import * as vscode from 'vscode';
import type { CompletionItem as LspCompletionItem, Hover as LspHover, MarkupContent, Range as LspRange } from 'yaml-language-server';

/** yaml-language-server answers in LSP types; the editor API wants its own. */
export function toRange(range: LspRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

function toMarkdown(value: string | MarkupContent | undefined): vscode.MarkdownString | string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  // Field docs are ours, but never let a description run commands or render raw HTML.
  const markdown = new vscode.MarkdownString(value.value);
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  return markdown;
}

export function toCompletionItem(item: LspCompletionItem): vscode.CompletionItem {
  const result = new vscode.CompletionItem(item.label, item.kind !== undefined ? item.kind - 1 : undefined);
  const snippet = item.insertTextFormat === 2;
  const edit = item.textEdit;
  const text = edit ? edit.newText : item.insertText;
  if (text !== undefined) result.insertText = snippet ? new vscode.SnippetString(text) : text;
  if (edit) result.range = 'range' in edit ? toRange(edit.range) : { inserting: toRange(edit.insert), replacing: toRange(edit.replace) };
  if (item.detail) result.detail = item.detail;
  const documentation = toMarkdown(item.documentation);
  if (documentation) result.documentation = documentation;
  if (item.filterText) result.filterText = item.filterText;
  if (item.sortText) result.sortText = item.sortText;
  if (item.command) result.command = { command: item.command.command, title: item.command.title, arguments: item.command.arguments };
  return result;
}

export function toHover(hover: LspHover): vscode.Hover {
  const contents = hover.contents;
  const parts = Array.isArray(contents) ? contents : [contents];
  const markdown = parts
    .map((part) => (typeof part === 'string' ? part : 'language' in part ? `\`\`\`${part.language}\n${part.value}\n\`\`\`` : part.value))
    .join('\n\n');
  const rendered = new vscode.MarkdownString(markdown);
  rendered.isTrusted = false;
  rendered.supportHtml = false;
  return new vscode.Hover(rendered, hover.range ? toRange(hover.range) : undefined);
}
