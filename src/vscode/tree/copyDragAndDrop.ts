import * as vscode from 'vscode';
import type { TreeNode } from './nodes';

/** The Registries view's own MIME type (VS Code's form for a tree: application/vnd.code.tree.<view id, lowercase>). */
const REGISTRIES_MIME = 'application/vnd.code.tree.ocigitops.registries';

/**
 * Dragging tags onto a repository or a registry in the Registries view copies them there: the drop
 * runs "Copy To…" (src/vscode/commands/copyTo.ts) with that destination, preview and confirmation
 * first. The view is created at activation, and this with it, so it only hands the nodes on.
 */
export class CopyDragAndDrop implements vscode.TreeDragAndDropController<TreeNode> {
  readonly dragMimeTypes = [REGISTRIES_MIME];
  readonly dropMimeTypes = [REGISTRIES_MIME];

  handleDrag(source: readonly TreeNode[], dataTransfer: vscode.DataTransfer): void {
    const tags = source.filter((node) => node.kind === 'tag');
    if (tags.length > 0) dataTransfer.set(REGISTRIES_MIME, new vscode.DataTransferItem(tags));
  }

  async handleDrop(target: TreeNode | undefined, dataTransfer: vscode.DataTransfer): Promise<void> {
    const tags = dataTransfer.get(REGISTRIES_MIME)?.value as unknown;
    if (target && Array.isArray(tags)) await vscode.commands.executeCommand('ociGitops.copyTo', tags, target);
  }
}
