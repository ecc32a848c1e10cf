import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { YAMLMap } from 'yaml';
import { sourceDocuments } from '../../gitops/completion/sourceDocuments';
import { MAX_VALIDATED_BYTES } from '../../gitops/engine';
import type { AppliedBy } from '../../gitops/kustomize/appliedBy';
import { isKustomizationFile, KustomizeIndex, type FileRole } from '../../gitops/kustomize/kustomizeIndex';
import { Reconciliation } from '../../gitops/kustomize/reconciliation';
import { sourceDeclarations } from '../../gitops/sourceReferences';

const MAX_FILES = 2000;

/**
 * What validation needs to know of the workspace beyond the file at hand: the sources its YAML
 * files declare (for resolving sourceRef and chartRef across files, and where each is declared
 * for go-to-definition), and which files its kustomizations name as patches or resources. Read on
 * activation and after each save of a YAML file.
 */
export class WorkspaceSources {
  private declarations = new Map<string, vscode.Location>();
  private kustomize = new KustomizeIndex();
  private reconciliation = new Reconciliation(new Map());
  private documents: YAMLMap[] = [];

  /**
   * Reads the workspace again; returns each YAML file's text with what applies it (for indexing
   * the sources it declares in the namespace they get).
   */
  async refresh(): Promise<{ text: string; appliedBy?: AppliedBy }[]> {
    const [yaml, bare] = await Promise.all([
      vscode.workspace.findFiles('**/*.{yaml,yml}', '**/{node_modules,.git}/**', MAX_FILES),
      // kustomize also reads a kustomization from a file named just "Kustomization".
      vscode.workspace.findFiles('**/Kustomization', '**/{node_modules,.git}/**', 100),
    ]);
    const texts = new Map<string, string>();
    const declarations = new Map<string, vscode.Location>();
    const kustomize = new KustomizeIndex();
    const documents: YAMLMap[] = [];
    for (const uri of [...yaml, ...bare]) {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const text = open ? open.getText() : await readText(uri);
      if (text === undefined || text.length > MAX_VALIDATED_BYTES) continue;
      if (isKustomizationFile(uri.fsPath)) kustomize.add(uri.fsPath, text);
      texts.set(uri.fsPath, text);
      const declared = sourceDeclarations(text);
      if (declared.size > 0) documents.push(...sourceDocuments(text));
      for (const [key, range] of declared) {
        if (!declarations.has(key))
          declarations.set(key, new vscode.Location(uri, new vscode.Range(positionAt(text, range[0]), positionAt(text, range[1]))));
      }
    }
    this.declarations = declarations;
    this.kustomize = kustomize;
    this.documents = documents;
    const reconciliation = new Reconciliation(texts);
    this.reconciliation = reconciliation;
    return [...texts].flatMap(([path, text]) => reconciliation.declaring(path, text));
  }

  /** What applies a file to the cluster, as the workspace shows it (as of the last refresh). */
  appliedBy(uri: vscode.Uri): AppliedBy | undefined {
    return uri.scheme === 'file' ? this.reconciliation.appliedBy(uri.fsPath) : undefined;
  }

  /** The workspace's source documents (as of the last refresh), for completion in other files. */
  sourceDocuments(): readonly YAMLMap[] {
    return this.documents;
  }

  /** Where the source with this key is declared, if the workspace has it. */
  locate(key: string): vscode.Location | undefined {
    return this.declarations.get(key);
  }

  /**
   * What a kustomization makes of a file. A file outside the workspace folders (or opened with no
   * folder) is looked up in the kustomizations of its own folder and the folders above it.
   */
  roleOf(uri: vscode.Uri): FileRole | undefined {
    if (uri.scheme !== 'file') return undefined;
    const role = this.kustomize.roleOf(uri.fsPath);
    if (role || vscode.workspace.getWorkspaceFolder(uri)) return role;
    const nearby = new KustomizeIndex();
    nearby.addAround(uri.fsPath, readTextSync);
    return nearby.roleOf(uri.fsPath);
  }
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  } catch {
    return undefined;
  }
}

function readTextSync(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function positionAt(text: string, offset: number): vscode.Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return new vscode.Position(line, offset - (before.lastIndexOf('\n') + 1));
}
