import * as vscode from 'vscode';
import { formatReference, pinned, type PinnedReference } from '../../oci';
import { artifactUri } from '../fs/ociUri';
import type { ArtifactNode, TagNode } from '../tree/nodes';
import type { CommandContext } from './context';
import { failure } from '../commandWrapper/commandFailure';

/** What these commands act on: a tag or artifact in the Registries view, or the artifact an Artifact panel shows. */
type ArtifactLike = TagNode | ArtifactNode | PinnedReference;

/** The artifact pinned to its digest; a tag node's digest is looked up (the tree caches it). */
async function pinnedOf(ctx: CommandContext, node: ArtifactLike): Promise<PinnedReference> {
  if (!('kind' in node)) return node;
  const digest = node.kind === 'artifact' ? node.digest : (await ctx.tree.summaryOf(node)).descriptor.digest;
  return pinned(node.repository.location, digest);
}

export async function copyDigest(ctx: CommandContext, node: ArtifactLike | undefined): Promise<void> {
  if (!node) return;
  const { digest } = await pinnedOf(ctx, node);
  await vscode.env.clipboard.writeText(digest);
  vscode.window.setStatusBarMessage(`Copied ${digest}`, 3000);
}

/** `registry/repository@sha256:…`: what a deployment should reference, since a tag can move. */
export async function copyPinnedReference(ctx: CommandContext, node: ArtifactLike | undefined): Promise<void> {
  if (!node) return;
  const reference = formatReference(await pinnedOf(ctx, node));
  await vscode.env.clipboard.writeText(reference);
  vscode.window.setStatusBarMessage(`Copied ${reference}`, 3000);
}

/** Opens the manifest as JSON in a read-only editor, addressed by digest. */
export async function openManifest(ctx: CommandContext, node: ArtifactLike | undefined): Promise<void> {
  if (!node) return;
  try {
    const uri = artifactUri({ ...(await pinnedOf(ctx, node)), path: 'manifest.json' }, 'view=manifest');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'json');
    await vscode.window.showTextDocument(document, { preview: true });
  } catch (error) {
    throw failure(`Could not open the manifest of ${'kind' in node ? node.reference : formatReference(node)}`, error);
  }
}
