import * as vscode from 'vscode';
import { registerCommand } from '../activation/registerCommand';
import type { Diagnostic as Finding } from '../../gitops/diagnostic';
import { indexSources } from '../../gitops/engine';
import type { SourceIndex } from '../../gitops/sources';
import type { OciClient } from '../../oci';
import type { Logger } from '../../oci/logger';
import { registerAuthoring } from './authoringProviders';
import { registerRegistryAuthoring } from './registryAuthoring';
import type { KnownRegistry } from '../../gitops/completion/registryCompletion';
import { editorSkipReason } from './fileScope';
import { LiveValidation } from './liveValidation';
import { sharedValidator } from './sharedValidator';
import { WorkspaceSources } from './workspaceSources';
import { errorMessage } from '../../text/format';
import { isRestricted, WITHHELD } from '../restrictedMode';

const SOURCE = 'OCI GitOps';
const fixes = new WeakMap<vscode.Diagnostic, NonNullable<Finding['fix']>>();

/** Turns findings on a text into VS Code diagnostics (quick fixes kept beside them). */
export function toDiagnostics(document: { positionAt(offset: number): vscode.Position }, findings: Finding[]): vscode.Diagnostic[] {
  return findings.map((f) => {
    const range = new vscode.Range(document.positionAt(f.start), document.positionAt(Math.max(f.end, f.start)));
    const severity =
      f.severity === 'error'
        ? vscode.DiagnosticSeverity.Error
        : f.severity === 'warning'
          ? vscode.DiagnosticSeverity.Warning
          : vscode.DiagnosticSeverity.Information;
    const diagnostic = new vscode.Diagnostic(range, f.message, severity);
    diagnostic.source = SOURCE;
    diagnostic.code = f.link ? { value: f.code, target: vscode.Uri.parse(f.link) } : f.code;
    if (f.fix) fixes.set(diagnostic, f.fix);
    return diagnostic;
  });
}

function toAction(document: vscode.TextDocument, fix: NonNullable<Finding['fix']>, diagnostic?: vscode.Diagnostic): vscode.CodeAction {
  const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
  if (diagnostic) action.diagnostics = [diagnostic];
  action.isPreferred = diagnostic !== undefined;
  action.edit = new vscode.WorkspaceEdit();
  for (const edit of fix.edits)
    action.edit.replace(document.uri, new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)), edit.text);
  return action;
}

/**
 * Diagnostics, quick fixes, completion, hover, go-to-definition and live registry checks for Flux
 * and Argo CD YAML, as the user types (debounced). Files that hold none of our kinds get nothing,
 * nor do Helm templates; files a kustomization names as patches are checked as partial objects.
 */
export function registerValidation(
  context: vscode.ExtensionContext,
  collection: vscode.DiagnosticCollection,
  deps: { client: OciClient; logger: Logger; log: vscode.LogOutputChannel; knownRegistries?: () => Promise<KnownRegistry[]> },
): void {
  const timers = new Map<string, NodeJS.Timeout>();
  const offline = new Map<string, Finding[]>();
  const versions = new Map<string, number>();
  const workspaceSources = new WorkspaceSources();
  let sources: SourceIndex | undefined;
  const publish = (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    const found = [...(offline.get(key) ?? []), ...live.findingsFor(document)];
    collection.set(document.uri, toDiagnostics(document, found));
  };
  const live = new LiveValidation(
    deps.client,
    deps.logger,
    publish,
    (document) => workspaceSources.roleOf(document.uri),
    () => sources,
    (document) => workspaceSources.appliedBy(document.uri),
  );
  /** Drops what we said about a document that is not (or no longer) ours. */
  const forget = (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    offline.delete(key);
    live.forget(document);
    if (collection.has(document.uri)) collection.delete(document.uri);
  };
  const check = async (document: vscode.TextDocument) => {
    if (document.languageId !== 'yaml' || document.uri.scheme === 'oci') return;
    const key = document.uri.toString();
    const version = document.version;
    versions.set(key, version);
    const text = document.getText();
    // Other YAML and Helm templates are left to other tools: no diagnostics, no language service.
    if (editorSkipReason(document.uri, text) !== undefined) {
      forget(document);
      return;
    }
    let found: Finding[];
    try {
      found = await sharedValidator().validate(
        text,
        sources,
        undefined,
        workspaceSources.roleOf(document.uri),
        workspaceSources.appliedBy(document.uri),
      );
    } catch (error) {
      deps.logger.warn(`Validation of ${document.uri.fsPath} failed: ${errorMessage(error)}`);
      return;
    }
    // An older pass that finishes after a newer edit must not overwrite its findings.
    if (versions.get(key) !== version || document.isClosed) return;
    offline.set(key, found);
    publish(document);
    live.schedule(document);
  };
  const later = (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    live.cancel(document);
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        void check(document);
      }, 250),
    );
  };
  const reindex = async () => {
    const texts = await workspaceSources.refresh();
    sources = indexSources(texts);
    vscode.workspace.textDocuments.forEach((d) => void check(d));
  };
  const facts = registerRegistryAuthoring(context, {
    client: deps.client,
    knownRegistries: deps.knownRegistries ?? (async () => []),
    elsewhere: () => workspaceSources.sourceDocuments(),
  });
  context.subscriptions.push(
    collection,
    live,
    vscode.workspace.onDidOpenTextDocument((d) => void check(d)),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length > 0) later(event.document);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      versions.delete(document.uri.toString());
      forget(document);
    }),
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (document.languageId === 'yaml') void reindex();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('ociGitops.validation')) vscode.workspace.textDocuments.forEach((d) => void check(d));
    }),
    registerCommand(
      'ociGitops.refreshLiveChecks',
      () => {
        live.clearCache();
        facts.clear();
        vscode.workspace.textDocuments.forEach((d) => void check(d));
      },
      deps.log,
    ),
    registerCommand(
      'ociGitops.pinToDigest',
      async (uri?: vscode.Uri, fix?: NonNullable<Finding['fix']>) => {
        const editor = vscode.window.activeTextEditor;
        const document = uri ? await vscode.workspace.openTextDocument(uri) : editor?.document;
        const chosen = fix ?? (document && editor ? live.pinAt(document, document.offsetAt(editor.selection.active)) : undefined);
        if (!document || !chosen) {
          void vscode.window.showInformationMessage(
            'Put the cursor on an OCIRepository ref or an Application targetRevision that live checks resolved, then run Pin to Digest again.',
          );
          return;
        }
        await vscode.workspace.applyEdit(toAction(document, chosen).edit!);
      },
      deps.log,
    ),
    vscode.languages.registerCodeActionsProvider(
      { language: 'yaml' },
      {
        provideCodeActions(document, range, ctx) {
          const actions: vscode.CodeAction[] = [];
          for (const diagnostic of ctx.diagnostics) {
            const fix = fixes.get(diagnostic);
            if (fix) actions.push(toAction(document, fix, diagnostic));
          }
          const pin = live.pinAt(document, document.offsetAt(range.start));
          if (pin) actions.push(toAction(document, pin));
          return actions;
        },
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
    vscode.languages.registerCodeLensProvider({ language: 'yaml' }, live),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      live.clearCache();
      facts.clear();
      vscode.workspace.textDocuments.forEach((d) => void check(d));
    }),
  );
  if (isRestricted()) deps.log.info(`Validating offline (Restricted Mode); withheld: ${WITHHELD[0]}.`);
  registerAuthoring(context, workspaceSources);
  vscode.workspace.textDocuments.forEach((d) => void check(d));
  void reindex();
}
