import * as vscode from 'vscode';
import { registerCommand } from '../commandWrapper/registerCommand';
import type { Diagnostic as Finding } from '../../gitops/diagnostic';
import type { OciClient } from '../../oci';
import type { Logger } from '../../oci/logger';
import { registerAuthoring } from './authoringProviders';
import { registerRegistryAuthoring } from './registryAuthoring';
import type { KnownRegistry } from '../../gitops/completion/registryCompletion';
import { DocumentValidation } from './documentValidation';
import { QuickFixes, toAction } from './quickFixes';
import { WorkspaceSources } from './workspaceSources';
import { isRestricted, WITHHELD } from '../restrictedMode';

/**
 * Diagnostics, quick fixes, completion, hover, go-to-definition and live registry checks for Flux
 * and Argo CD YAML: wires the editor's events, commands and providers to a DocumentValidation.
 */
export function registerValidation(
  context: vscode.ExtensionContext,
  collection: vscode.DiagnosticCollection,
  deps: { client: OciClient; logger: Logger; log: vscode.LogOutputChannel; knownRegistries?: () => Promise<KnownRegistry[]> },
): void {
  const workspaceSources = new WorkspaceSources();
  const quickFixes = new QuickFixes();
  const validation = new DocumentValidation(collection, quickFixes, workspaceSources, deps);
  const live = validation.live;
  const facts = registerRegistryAuthoring(context, {
    client: deps.client,
    knownRegistries: deps.knownRegistries ?? (async () => []),
    elsewhere: () => workspaceSources.sourceDocuments(),
  });
  const checkAll = () => vscode.workspace.textDocuments.forEach((d) => void validation.check(d));
  /** What the registries said is stale (refreshed by hand, or the workspace became trusted). */
  const forgetRegistries = () => {
    live.clearCache();
    facts.clear();
    checkAll();
  };
  context.subscriptions.push(
    collection,
    validation,
    vscode.workspace.onDidOpenTextDocument((d) => void validation.check(d)),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length > 0) validation.later(event.document);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => validation.closed(d)),
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (document.languageId === 'yaml') void validation.reindex(vscode.workspace.textDocuments);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('ociGitops.validation')) checkAll();
    }),
    registerCommand('ociGitops.refreshLiveChecks', forgetRegistries, deps.log),
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
            const fix = quickFixes.fixFor(diagnostic);
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
    vscode.workspace.onDidGrantWorkspaceTrust(forgetRegistries),
  );
  if (isRestricted()) deps.log.info(`Validating offline (Restricted Mode); withheld: ${WITHHELD[0]}.`);
  registerAuthoring(context, workspaceSources);
  checkAll();
  void validation.reindex(vscode.workspace.textDocuments);
}
