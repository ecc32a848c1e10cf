import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { FolderListing } from '../../artifact/folderEntries';
import type { Diagnostic as Finding } from '../../gitops/diagnostic';
import { validateYaml } from '../../gitops/engine';
import { mayHoldOurKinds } from '../../gitops/kindSniff';

/**
 * Checks the YAML a push would ship with the schemas and GitOps rules. Errors block the push unless the user
 * chooses "Push Anyway"; "Show Problems" lists them in the Problems panel. True means go on.
 *
 * Only files that may hold a Flux or Argo CD kind go through the full validator (yaml-language-server
 * and our schemas, loaded then); the others, the ConfigMaps and Deployments that make up most folders,
 * get the YAML syntax check they would get from it anyway, without the language service.
 */
export async function passesYamlGate(problems: vscode.DiagnosticCollection, listing: FolderListing, key: string): Promise<boolean> {
  let errors = 0;
  const faulty: { uri: vscode.Uri; text: string; findings: Finding[] }[] = [];
  for (const file of listing.files.filter((f) => /\.ya?ml$/i.test(f.path))) {
    const text = await readFile(file.source, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const findings = mayHoldOurKinds(text) ? await (await import('../validation/sharedValidator.js')).sharedValidator().validate(text) : validateYaml(text);
    const fileErrors = findings.filter((f) => f.severity === 'error').length;
    if (fileErrors === 0) continue;
    errors += fileErrors;
    faulty.push({ uri: vscode.Uri.file(file.source), text, findings });
  }
  if (errors === 0) return true;
  // Through the validation module, so the quick fixes of these findings work in the Problems panel too.
  const { toDiagnostics } = await import('../validation/registerValidation.js');
  for (const { uri, text, findings } of faulty) problems.set(uri, toDiagnostics({ positionAt: (offset) => positionAt(text, offset) }, findings));
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
