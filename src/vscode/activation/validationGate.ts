import * as vscode from 'vscode';
import { mayHoldOurKinds } from '../../gitops/kindSniff';

const RECHECK_AFTER_EDIT_MS = 300;

/**
 * Watches YAML files until one may hold a Flux or Argo CD kind we validate, then calls `found`
 * once (which loads the validator). Until then a YAML file, opened or edited, costs one text scan
 * (`mayHoldOurKinds`) and nothing else: no parse, no language service, no schema.
 */
export function watchForGitOpsYaml(found: (document: vscode.TextDocument) => void): vscode.Disposable {
  const timers = new Map<string, NodeJS.Timeout>();
  let done = false;
  const subscriptions: vscode.Disposable[] = [];
  const stop = () => {
    done = true;
    timers.forEach((timer) => clearTimeout(timer));
    timers.clear();
    subscriptions.forEach((s) => s.dispose());
  };
  const check = (document: vscode.TextDocument) => {
    // Artifact files (oci:) are read-only previews that the validator leaves alone too.
    if (done || document.languageId !== 'yaml' || document.uri.scheme === 'oci' || !mayHoldOurKinds(document.getText())) return;
    stop();
    found(document);
  };
  subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => {
      if (contentChanges.length === 0 || document.languageId !== 'yaml') return;
      const key = document.uri.toString();
      clearTimeout(timers.get(key));
      timers.set(
        key,
        setTimeout(() => {
          timers.delete(key);
          if (!document.isClosed) check(document);
        }, RECHECK_AFTER_EDIT_MS),
      );
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      clearTimeout(timers.get(document.uri.toString()));
      timers.delete(document.uri.toString());
    }),
  );
  for (const document of vscode.workspace.textDocuments) check(document);
  return new vscode.Disposable(stop);
}
