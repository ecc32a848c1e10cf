import * as vscode from 'vscode';
import type { Diagnostic as Finding } from '../../gitops/diagnostic';
import { indexSources, validateYaml } from '../../gitops/engine';
import type { SourceIndex } from '../../gitops/rules/fluxConsumers';

const SOURCE = 'OCI GitOps';
const fixes = new WeakMap<vscode.Diagnostic, NonNullable<Finding['fix']>>();

/** Turns findings on a text into VS Code diagnostics (quick fixes kept beside them). */
export function toDiagnostics(document: { positionAt(offset: number): vscode.Position }, findings: Finding[]): vscode.Diagnostic[] {
  return findings.map((f) => {
    const range = new vscode.Range(document.positionAt(f.start), document.positionAt(Math.max(f.end, f.start)));
    const severity = f.severity === 'error' ? vscode.DiagnosticSeverity.Error : f.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
    const diagnostic = new vscode.Diagnostic(range, f.message, severity);
    diagnostic.source = SOURCE;
    diagnostic.code = f.link ? { value: f.code, target: vscode.Uri.parse(f.link) } : f.code;
    if (f.fix) fixes.set(diagnostic, f.fix);
    return diagnostic;
  });
}

/**
 * Diagnostics and quick fixes for Flux OCIRepository and Argo CD Application YAML, as the user types
 * (debounced). Files that hold neither kind get no findings.
 */
export function registerValidation(context: vscode.ExtensionContext, collection: vscode.DiagnosticCollection): void {
  const timers = new Map<string, NodeJS.Timeout>();
  // OCIRepositories declared anywhere in the workspace, so a sourceRef in another file resolves.
  let sources: SourceIndex | undefined;
  const reindex = async () => {
    const uris = await vscode.workspace.findFiles('**/*.{yaml,yml}', '**/{node_modules,.git}/**', 2000);
    const texts = await Promise.all(uris.map(async (uri) => Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8')));
    sources = indexSources(texts);
    vscode.workspace.textDocuments.forEach(check);
  };
  const check = (document: vscode.TextDocument) => {
    if (document.languageId !== 'yaml' || document.uri.scheme === 'oci') return;
    collection.set(document.uri, toDiagnostics(document, validateYaml(document.getText(), sources)));
  };
  const later = (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      check(document);
    }, 250));
  };
  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((event) => later(event.document)),
    vscode.workspace.onDidCloseTextDocument((document) => collection.delete(document.uri)),
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (document.languageId === 'yaml') void reindex();
    }),
    vscode.languages.registerCodeActionsProvider({ language: 'yaml' }, {
      provideCodeActions(document, _range, ctx) {
        const actions: vscode.CodeAction[] = [];
        for (const diagnostic of ctx.diagnostics) {
          const fix = fixes.get(diagnostic);
          if (!fix) continue;
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.diagnostics = [diagnostic];
          action.isPreferred = true;
          action.edit = new vscode.WorkspaceEdit();
          for (const edit of fix.edits) action.edit.replace(document.uri, new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)), edit.text);
          actions.push(action);
        }
        return actions;
      },
    }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
  vscode.workspace.textDocuments.forEach(check);
  void reindex();
}
