import * as vscode from 'vscode';
import type { TreeNode } from './nodes';

/** The Registries view's own MIME type (VS Code's form for a tree: application/vnd.code.tree.<view id, lowercase>). */
export const REGISTRIES_MIME = 'application/vnd.code.tree.ocigitops.registries';

/**
 * Dragging a tag onto a repository or a registry in the Registries view copies it there: the drop
 * runs "Copy To…" with that destination chosen (the preview and confirmation still come first).
 * This sits in the activation bundle, as the view is created there, so it only passes nodes on:
 * the copy itself loads with the command.
 */
export class CopyDragAndDrop implements vscode.TreeDragAndDropController<TreeNode> {
  readonly dragMimeTypes = [REGISTRIES_MIME];
  readonly dropMimeTypes = [REGISTRIES_MIME];

  handleDrag(source: readonly TreeNode[], dataTransfer: vscode.DataTransfer): void {
    const tags = source.filter((node) => node.kind === 'tag');
    if (tags.length > 0) dataTransfer.set(REGISTRIES_MIME, new vscode.DataTransferItem(tags));
  }

  async handleDrop(target: TreeNode | undefined, dataTransfer: vscode.DataTransfer): Promise<void> {
    const dragged = dataTransfer.get(REGISTRIES_MIME)?.value as TreeNode[] | undefined;
    if (!target || !Array.isArray(dragged)) return;
    const destination =
      target.kind === 'registry' || target.kind === 'repository' ? target : target.kind === 'tag' ? target.repository : undefined;
    if (!destination) return;
    for (const tag of dragged) if (tag.kind === 'tag') await vscode.commands.executeCommand('ociGitops.copyTo', tag, destination);
  }
}
