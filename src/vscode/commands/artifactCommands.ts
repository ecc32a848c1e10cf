import * as vscode from 'vscode';
import { artifactUri } from '../fs/ociUri';
import type { ArtifactNode, TagNode } from '../tree/nodes';
import type { CommandContext } from './context';
import { failure } from '../commandWrapper/commandFailure';

type ArtifactLike = TagNode | ArtifactNode;

async function digestOf(ctx: CommandContext, node: ArtifactLike): Promise<string> {
  return node.kind === 'artifact' ? node.digest : (await ctx.tree.summaryOf(node)).descriptor.digest;
}

export async function copyDigest(ctx: CommandContext, node: ArtifactLike | undefined): Promise<void> {
  if (!node) return;
  const digest = await digestOf(ctx, node);
  await vscode.env.clipboard.writeText(digest);
  vscode.window.setStatusBarMessage(`Copied ${digest}`, 3000);
}

/** `registry/repository@sha256:…`: what a deployment should reference, since a tag can move. */
export async function copyPinnedReference(ctx: CommandContext, node: ArtifactLike | undefined): Promise<void> {
  if (!node) return;
  const pinned = `${node.repository.reference}@${await digestOf(ctx, node)}`;
  await vscode.env.clipboard.writeText(pinned);
  vscode.window.setStatusBarMessage(`Copied ${pinned}`, 3000);
}

/** Opens the manifest as JSON in a read-only editor, addressed by digest. */
export async function openManifest(ctx: CommandContext, node: ArtifactLike | undefined): Promise<void> {
  if (!node) return;
  try {
    const uri = artifactUri(
      {
        registry: node.repository.registry.entry.host,
        repository: node.repository.name,
        digest: await digestOf(ctx, node),
        path: 'manifest.json',
      },
      'view=manifest',
    );
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'json');
    await vscode.window.showTextDocument(document, { preview: true });
  } catch (error) {
    throw failure(`Could not open the manifest of ${node.reference}`, error);
  }
}
