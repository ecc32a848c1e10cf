import * as vscode from 'vscode';
import type { ArtifactNode, TagNode } from '../tree/nodes';
import { ArtifactPanel } from '../webviews/ArtifactPanel';
import type { CommandContext } from './context';

export async function showArtifact(ctx: CommandContext, node: TagNode | ArtifactNode | undefined): Promise<void> {
  if (!node) return;
  try {
    await vscode.window.withProgress({ location: { viewId: 'ociGitops.registries' }, title: `Loading ${node.reference}` }, () =>
      ArtifactPanel.show(ctx.extension.extensionUri, ctx.client.repository(node.repository.reference), node.kind === 'tag' ? node.tag : node.digest, ctx.contents, ctx.log),
    );
  } catch (error) {
    ctx.log.error(`Show ${node.reference}: ${(error as Error).message}`);
    void vscode.window.showErrorMessage((error as Error).message);
  }
}
