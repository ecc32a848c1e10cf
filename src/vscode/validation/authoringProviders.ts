import * as vscode from 'vscode';
import { completeAt, hoverAt } from '../../gitops/authoring';
import { sourceDeclarations, sourceReferenceAt } from '../../gitops/sourceReferences';
import { toCompletionItem, toHover } from './lspConvert';
import { sharedValidator } from './sharedValidator';
import type { WorkspaceSources } from './workspaceSources';

/**
 * Completion and hover from our schemas (field names, enum values, field docs) and
 * go-to-definition from a sourceRef or chartRef to the source it names.
 */
export function registerAuthoring(context: vscode.ExtensionContext, sources: WorkspaceSources): void {
  const selector: vscode.DocumentSelector = [
    { language: 'yaml', scheme: 'file' },
    { language: 'yaml', scheme: 'untitled' },
  ];
  context.subscriptions.push(
    vscode.languages.registerCompletionItemProvider(
      selector,
      {
        async provideCompletionItems(document, position) {
          const list = await completeAt(sharedValidator().schemas, document.getText(), document.offsetAt(position));
          if (!list) return undefined;
          return new vscode.CompletionList(list.items.map(toCompletionItem), list.isIncomplete);
        },
      },
      ':',
      ' ',
    ),
    vscode.languages.registerHoverProvider(selector, {
      async provideHover(document, position) {
        const hover = await hoverAt(sharedValidator().schemas, document.getText(), document.offsetAt(position));
        return hover ? toHover(hover) : undefined;
      },
    }),
    vscode.languages.registerDefinitionProvider(selector, {
      provideDefinition(document, position) {
        const text = document.getText();
        const reference = sourceReferenceAt(text, document.offsetAt(position));
        if (!reference) return undefined;
        // The same file first: it may not be saved, so the workspace index may not know it yet.
        const here = sourceDeclarations(text).get(reference.key);
        if (here) return new vscode.Location(document.uri, new vscode.Range(document.positionAt(here[0]), document.positionAt(here[1])));
        return sources.locate(reference.key);
      },
    }),
  );
}
