import * as vscode from 'vscode';
import { isOciError } from '../../oci';
import type { TagNode } from '../tree/nodes';
import type { CommandContext } from './context';
import { errorMessage, shortDigest } from '../../text/format';
import { failure } from '../commandWrapper/commandFailure';

/** Deletes a tag after a modal that names registry, repository, tag and digest. */
export async function deleteTag(ctx: CommandContext, node: TagNode | undefined): Promise<void> {
  if (!node) return;
  const repo = ctx.client.repository(node.repository.ref);
  const registry = node.repository.registry.entry.host;
  let digest: string;
  try {
    digest = (await repo.resolve(node.tag)).digest;
  } catch (error) {
    throw failure(`Could not resolve ${node.reference}`, error);
  }
  const answer = await vscode.window.showWarningMessage(
    `Delete tag ${node.tag} of ${node.repository.name} on ${registry}?`,
    {
      modal: true,
      detail: `Registry: ${registry}\nRepository: ${node.repository.name}\nTag: ${node.tag}\nDigest: ${digest}\n\nAnything deploying this tag will no longer find it.`,
    },
    'Delete Tag',
  );
  if (answer !== 'Delete Tag') return;
  try {
    await repo.deleteTag(node.tag);
  } catch (error) {
    if (!isOciError(error, 'UNSUPPORTED')) {
      throw failure(`Could not delete ${node.reference}`, error);
    }
    // The registry deletes manifests only: say exactly which other tags would go with it.
    const sharing: string[] = [];
    for (const tag of ctx.tree.loadedTags(node.repository)) {
      const other = await repo.resolve(tag).catch(() => undefined);
      if (other?.digest === digest) sharing.push(tag);
    }
    const again = await vscode.window.showWarningMessage(
      `${registry} cannot delete only the tag ${node.tag}. Delete the manifest ${shortDigest(digest)}… instead?`,
      {
        modal: true,
        detail: `This removes the manifest and every tag pointing at it: ${sharing.join(', ') || node.tag}.\nDigest: ${digest}`,
      },
      'Delete Manifest',
    );
    if (again !== 'Delete Manifest') return;
    try {
      await repo.deleteManifest(digest);
    } catch (deleteError) {
      void vscode.window.showErrorMessage(`Could not delete ${digest}: ${errorMessage(deleteError)}`);
      return;
    }
  }
  ctx.log.info(`Deleted ${node.reference} (${digest})`);
  ctx.tree.refresh(node.repository);
}
