import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { FolderListing } from '../../artifact/folderEntries';
import { mayHoldOurKinds } from '../../gitops/kindSniff';

/**
 * Checks the YAML a push would ship with the schemas and GitOps rules. Errors block the push unless the user
 * chooses "Push Anyway"; "Show Problems" lists them in the Problems panel. True means go on.
 *
 * Only files that may hold a Flux or Argo CD kind can have findings (the validator leaves other
 * YAML alone), so the others cost one text scan each, and a folder that holds none of our kinds
 * (ConfigMaps, Deployments, a chart) passes without loading the validator at all.
 */
export async function passesYamlGate(problems: vscode.DiagnosticCollection, listing: FolderListing, key: string): Promise<boolean> {
  const candidates: { path: string; text: string }[] = [];
  for (const file of listing.files.filter((f) => /\.ya?ml$/i.test(f.path))) {
    const text = await readFile(file.source, 'utf8').catch(() => undefined);
    if (text !== undefined && mayHoldOurKinds(text)) candidates.push({ path: file.source, text });
  }
  if (candidates.length === 0) return true;
  const [{ findingsForFile, kustomizeIndexOf, reconciliationOf }, { toDiagnostics }] = await Promise.all([
    import('../validation/fileValidation.js'),
    import('../validation/registerValidation.js'),
  ]);
  let errors = 0;
  const faulty: vscode.Uri[] = [];
  const kustomize = kustomizeIndexOf(listing.files.map((f) => f.source));
  const reconciliation = reconciliationOf(listing.files.map((f) => f.source));
  for (const { path, text } of candidates) {
    const findings = await findingsForFile(path, text, kustomize, reconciliation);
    const fileErrors = findings.filter((f) => f.severity === 'error').length;
    if (fileErrors === 0) continue;
    errors += fileErrors;
    const uri = vscode.Uri.file(path);
    problems.set(uri, toDiagnostics({ positionAt: (offset) => positionAt(text, offset) }, findings));
    faulty.push(uri);
  }
  if (errors === 0) return true;
  const choice = await vscode.window.showWarningMessage(
    `${errors} error${errors === 1 ? '' : 's'} in ${faulty.length} YAML file${faulty.length === 1 ? '' : 's'} of ${key}`,
    { modal: true, detail: 'Flux or Argo CD would reject these objects. Fix them first, or push anyway.' },
    'Show Problems',
    'Push Anyway',
  );
  if (choice === 'Show Problems') {
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    return false;
  }
  return choice === 'Push Anyway';
}

function positionAt(text: string, offset: number): vscode.Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return new vscode.Position(line, offset - (before.lastIndexOf('\n') + 1));
}
