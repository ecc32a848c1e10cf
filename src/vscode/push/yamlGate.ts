import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { FolderListing } from '../../artifact/folderEntries';
import { mayHoldOurKinds } from '../../gitops/kindSniff';
import type { Finding } from '../../gitops/validateFiles';
import { toSeverity } from '../validation/quickFixes';

/**
 * Checks the YAML a push would ship as `oci-gitops validate` checks the folder (the same core
 * `validateFiles`: kustomize roles, sources resolved across the files, the size policy). Errors
 * block the push unless the user chooses "Push Anyway"; "Show Problems" lists them in the Problems
 * panel. True means go on.
 *
 * Only files that may hold a Flux or Argo CD kind can have findings (the validator leaves other
 * YAML alone), so a folder that holds none of our kinds (ConfigMaps, Deployments, a chart) passes
 * after one text scan per file, without loading the validator at all.
 */
export async function passesYamlGate(problems: vscode.DiagnosticCollection, listing: FolderListing, key: string): Promise<boolean> {
  const yaml = listing.files.filter((f) => /\.ya?ml$/i.test(f.path)).map((f) => f.source);
  let candidates = 0;
  for (const path of yaml) if (mayHoldOurKinds(await readFile(path, 'utf8').catch(() => ''))) candidates++;
  if (candidates === 0) return true;
  const [{ validateFiles }, { isKustomizationFile }] = await Promise.all([
    import('../../gitops/validateFiles.js'),
    import('../../gitops/kustomize/kustomizeIndex.js'),
  ]);
  // What ships is what is on disk (unsaved edits do not), so the files are read from disk.
  const kustomizations = listing.files.map((f) => f.source).filter((path) => isKustomizationFile(path) && !yaml.includes(path));
  const { findings } = await validateFiles([...yaml, ...kustomizations]);
  // Warnings stop a push too (a sourceRef naming a source the folder lacks is one): each is a
  // likely mistake, and "Push Anyway" is one click. Information never stops it.
  const stopping = findings.filter((f) => f.severity !== 'info');
  if (stopping.length === 0) return true;
  const faulty = [...new Set(stopping.map((f) => f.file))];
  for (const file of faulty) problems.set(vscode.Uri.file(file), findings.filter((f) => f.file === file).map(toDiagnostic));
  const errors = stopping.filter((f) => f.severity === 'error').length;
  const warnings = stopping.length - errors;
  const counted = [...(errors > 0 ? [plural(errors, 'error')] : []), ...(warnings > 0 ? [plural(warnings, 'warning')] : [])].join(' and ');
  const choice = await vscode.window.showWarningMessage(
    `${counted} in ${plural(faulty.length, 'YAML file')} of ${key}`,
    {
      modal: true,
      detail:
        'Flux or Argo CD would reject these objects or not do what they seem to say (as `oci-gitops validate` reports them). Fix them first, or push anyway.',
    },
    'Show Problems',
    'Push Anyway',
  );
  if (choice === 'Show Problems') {
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    return false;
  }
  return choice === 'Push Anyway';
}

/** A finding (1-based lines and columns) as a Problems panel entry, with the severity the core gave it. */
function toDiagnostic(f: Finding): vscode.Diagnostic {
  const range = new vscode.Range(new vscode.Position(f.line - 1, f.column - 1), new vscode.Position(f.endLine - 1, f.endColumn - 1));
  const diagnostic = new vscode.Diagnostic(range, f.message, toSeverity(f.severity));
  diagnostic.source = 'OCI GitOps';
  diagnostic.code = f.code;
  return diagnostic;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
