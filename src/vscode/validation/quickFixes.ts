import * as vscode from 'vscode';
import type { Diagnostic as Finding } from '../../gitops/diagnostic';

const SOURCE = 'OCI GitOps';
type Fix = NonNullable<Finding['fix']>;

/**
 * Findings on a text as VS Code diagnostics, and the quick fix each carries: the Problems panel
 * only holds diagnostics, so the fixes are kept beside them for the code action provider.
 */
export class QuickFixes {
  private readonly fixes = new WeakMap<vscode.Diagnostic, Fix>();

  toDiagnostics(document: { positionAt(offset: number): vscode.Position }, findings: Finding[]): vscode.Diagnostic[] {
    return findings.map((f) => {
      const range = new vscode.Range(document.positionAt(f.start), document.positionAt(Math.max(f.end, f.start)));
      const diagnostic = new vscode.Diagnostic(range, f.message, toSeverity(f.severity));
      diagnostic.source = SOURCE;
      diagnostic.code = f.link ? { value: f.code, target: vscode.Uri.parse(f.link) } : f.code;
      if (f.fix) this.fixes.set(diagnostic, f.fix);
      return diagnostic;
    });
  }

  /** The fix for a diagnostic we made, if it has one. */
  fixFor(diagnostic: vscode.Diagnostic): Fix | undefined {
    return this.fixes.get(diagnostic);
  }
}

/** A fix as a code action on the document (preferred when it answers a diagnostic). */
export function toAction(document: vscode.TextDocument, fix: Fix, diagnostic?: vscode.Diagnostic): vscode.CodeAction {
  const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
  if (diagnostic) action.diagnostics = [diagnostic];
  action.isPreferred = diagnostic !== undefined;
  action.edit = new vscode.WorkspaceEdit();
  for (const edit of fix.edits)
    action.edit.replace(document.uri, new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)), edit.text);
  return action;
}

/** A finding's severity as VS Code's, unchanged: the core decides it, no editor path rewrites it. */
export function toSeverity(severity: Finding['severity']): vscode.DiagnosticSeverity {
  return severity === 'error'
    ? vscode.DiagnosticSeverity.Error
    : severity === 'warning'
      ? vscode.DiagnosticSeverity.Warning
      : vscode.DiagnosticSeverity.Information;
}
