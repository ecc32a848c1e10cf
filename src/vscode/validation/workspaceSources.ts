import * as vscode from 'vscode';
import { MAX_VALIDATED_BYTES } from '../../gitops/engine';
import { sourceDeclarations } from '../../gitops/sourceReferences';

const MAX_FILES = 2000;

/**
 * The OCIRepositories declared in the workspace's YAML files: their texts for resolving sourceRef
 * and chartRef across files, and where each is declared for go-to-definition. Read on activation
 * and after each save of a YAML file.
 */
export class WorkspaceSources {
  private declarations = new Map<string, vscode.Location>();

  async refresh(): Promise<string[]> {
    const uris = await vscode.workspace.findFiles('**/*.{yaml,yml}', '**/{node_modules,.git}/**', MAX_FILES);
    const texts: string[] = [];
    const declarations = new Map<string, vscode.Location>();
    for (const uri of uris) {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const text = open ? open.getText() : await readText(uri);
      if (text === undefined || text.length > MAX_VALIDATED_BYTES) continue;
      texts.push(text);
      for (const [key, range] of sourceDeclarations(text)) {
        if (!declarations.has(key)) declarations.set(key, new vscode.Location(uri, new vscode.Range(positionAt(text, range[0]), positionAt(text, range[1]))));
      }
    }
    this.declarations = declarations;
    return texts;
  }

  /** Where the OCIRepository `namespace/name` is declared, if the workspace has it. */
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
