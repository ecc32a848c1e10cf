import * as vscode from 'vscode';
import type { YAMLMap } from 'yaml';
import { sourceDocuments } from '../../gitops/kindQueries';
import type { Diagnostic as Finding } from '../../gitops/diagnostic';
import { MAX_VALIDATED_BYTES } from '../../gitops/engine';
import type { LiveOptions } from '../../gitops/live/liveCheck';
import type { SkipReason } from '../../gitops/scope';
import { sourceDeclarations } from '../../gitops/sourceReferences';
import { WorkspacePicture } from '../../gitops/workspacePicture';
import { sharedValidator } from './sharedValidator';

const MAX_FILES = 2000;

/**
 * The workspace as validation sees it: the core's WorkspacePicture of its YAML files (which are
 * ours, the sources they declare, kustomize roles, what applies each file), the same picture
 * `oci-gitops validate` builds of a folder, plus what only the editor needs: where each source is
 * declared (go-to-definition) and the source documents (completion in other files). Read on
 * activation and after each save of a YAML file; a document being typed is judged against the
 * last picture, alone.
 */
export class WorkspaceSources {
  private picture = new WorkspacePicture(undefined);
  private declarations = new Map<string, vscode.Location>();
  private documents: YAMLMap[] = [];

  /** Reads the workspace again. */
  async refresh(): Promise<void> {
    const [yaml, bare] = await Promise.all([
      vscode.workspace.findFiles('**/*.{yaml,yml}', '**/{node_modules,.git}/**', MAX_FILES),
      // kustomize also reads a kustomization from a file named just "Kustomization".
      vscode.workspace.findFiles('**/Kustomization', '**/{node_modules,.git}/**', 100),
    ]);
    const texts = new Map<string, string>();
    const declarations = new Map<string, vscode.Location>();
    const documents: YAMLMap[] = [];
    for (const uri of [...yaml, ...bare]) {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const text = open ? open.getText() : await readText(uri);
      if (text === undefined || text.length > MAX_VALIDATED_BYTES) continue;
      texts.set(uri.fsPath, text);
      const declared = sourceDeclarations(text);
      if (declared.size > 0) documents.push(...sourceDocuments(text));
      for (const [key, range] of declared) {
        if (!declarations.has(key))
          declarations.set(key, new vscode.Location(uri, new vscode.Range(positionAt(text, range[0]), positionAt(text, range[1]))));
      }
    }
    this.picture = new WorkspacePicture(texts);
    this.declarations = declarations;
    this.documents = documents;
  }

  /** Why a document gets no findings from us, if it does not: the core's answer, as `validate` gives it. */
  scopeOf(document: vscode.TextDocument): SkipReason | undefined {
    return this.picture.scopeOf(this.pathOf(document.uri), document.getText());
  }

  /** The offline findings of a document the picture found ours. */
  validate(document: vscode.TextDocument): Promise<Finding[]> {
    return this.picture.validate(sharedValidator(), this.pathOf(document.uri), document.getText());
  }

  /** What the live checks of a document take from the workspace. */
  liveContext(document: vscode.TextDocument): Pick<LiveOptions, 'role' | 'sources' | 'appliedBy'> {
    return this.picture.liveContext(this.pathOf(document.uri));
  }

  /**
   * A document's path on disk, if it has one. A file outside the workspace folders (or opened
   * with no folder) brings the kustomizations of its own folder and those above it into the picture.
   */
  private pathOf(uri: vscode.Uri): string | undefined {
    if (uri.scheme !== 'file') return undefined;
    if (!vscode.workspace.getWorkspaceFolder(uri)) this.picture.lookAround(uri.fsPath);
    return uri.fsPath;
  }

  /** The workspace's source documents (as of the last refresh), for completion in other files. */
  sourceDocuments(): readonly YAMLMap[] {
    return this.documents;
  }

  /** Where the source with this key is declared, if the workspace has it. */
  locate(key: string): vscode.Location | undefined {
    return this.declarations.get(key);
  }
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  } catch {
    return undefined;
  }
}

function positionAt(text: string, offset: number): vscode.Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return new vscode.Position(line, offset - (before.lastIndexOf('\n') + 1));
}
