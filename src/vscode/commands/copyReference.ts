import * as vscode from 'vscode';
import type { RepositoryNode, TagNode } from '../tree/nodes';

export async function copyReference(node: RepositoryNode | TagNode | undefined): Promise<void> {
  if (!node) return;
  await vscode.env.clipboard.writeText(node.reference);
  vscode.window.setStatusBarMessage(`Copied ${node.reference}`, 3000);
}
