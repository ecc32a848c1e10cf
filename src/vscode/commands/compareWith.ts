import * as vscode from 'vscode';
import { diffContents } from '../../artifact/diff';
import { at, formatReference, isIndex, parseReference, pinned, tagged, type Reference } from '../../oci';
import { artifactUri } from '../fs/ociUri';
import type { TagNode } from '../tree/nodes';
import type { CommandContext } from './context';
import { shortDigest, shortHex } from '../../text/format';
import { failure } from '../commandWrapper/commandFailure';

type ChangeItem = vscode.QuickPickItem & { path?: string; change?: 'added' | 'removed' | 'changed' };

/**
 * Compares an artifact with another version file by file (what `flux diff artifact` cannot do: it
 * only compares tarball digests), then opens VS Code's diff editor for the file the user picks.
 */
export async function compareWith(ctx: CommandContext, node: TagNode | undefined): Promise<void> {
  if (!node) return;
  await compareArtifact(ctx, node.ref, ctx.tree.loadedTags(node.repository));
}

/** The artifact to compare from: a tag, or a digest when opened by digest. */
export type CompareBase = Reference;

export async function compareArtifact(ctx: CommandContext, base: CompareBase, candidateTags: string[]): Promise<void> {
  const repository = { registry: base.registry, repository: base.repository };
  const repositoryReference = formatReference(repository);
  const node = {
    tag: base.tag ?? shortHex(base.digest!),
    reference: formatReference(base.tag ? tagged(base, base.tag) : pinned(base, base.digest!)),
    repository: { name: base.repository, reference: repositoryReference },
  };
  const others = candidateTags.filter((tag) => tag !== base.tag);
  const picks: vscode.QuickPickItem[] = [
    ...others.map((tag) => ({ label: tag, description: node.repository.reference })),
    { label: 'Enter a tag, digest or reference…', alwaysShow: true },
  ];
  const picked = await vscode.window.showQuickPick(picks, {
    title: `Compare ${node.reference} with…`,
    placeHolder: 'Pick another version of the same repository',
  });
  if (!picked) return;
  let otherRef = picked.label === 'Enter a tag, digest or reference…' ? undefined : formatReference(tagged(repository, picked.label));
  if (!otherRef) {
    const typed = await vscode.window.showInputBox({
      title: `Compare ${node.reference} with…`,
      prompt: 'A tag or digest of this repository, or a full reference',
      ignoreFocusOut: true,
    });
    if (!typed) return;
    otherRef = /[/]/.test(typed) ? typed : formatReference(at(repository, typed));
  }
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Comparing ${node.reference} with ${otherRef}`, cancellable: false },
      async () => {
        const other = parseReference(otherRef!);
        const left = await ctx.client.repository(repository).fetchManifest(base);
        const rightManifest = await ctx.client.repository(other).fetchManifest(other);
        if (isIndex(left.manifest) || isIndex(rightManifest.manifest))
          throw new Error('Image indexes are compared per platform: expand the index and compare its manifests');
        const [before, after] = await Promise.all([
          ctx.contents.contents(pinned(base, left.descriptor.digest)),
          ctx.contents.contents(pinned(other, rightManifest.descriptor.digest)),
        ]);
        const diff = diffContents(before.files, after.files);
        const items: ChangeItem[] = [
          ...diff.changed.map((path) => ({ label: `$(diff-modified) ${path}`, description: 'changed', path, change: 'changed' as const })),
          ...diff.added.map((path) => ({ label: `$(diff-added) ${path}`, description: 'added', path, change: 'added' as const })),
          ...diff.removed.map((path) => ({ label: `$(diff-removed) ${path}`, description: 'removed', path, change: 'removed' as const })),
        ];
        const leftLocation = { registry: base.registry, repository: base.repository, digest: left.descriptor.digest };
        const rightLocation = { registry: other.registry, repository: other.repository, digest: rightManifest.descriptor.digest };
        const quickPick = vscode.window.createQuickPick<ChangeItem>();
        quickPick.title = `${node.tag} → ${other.tag ?? shortDigest(other.digest!)}: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed, ${diff.unchanged} unchanged`;
        quickPick.placeholder = items.length ? 'Pick a file to open its diff' : 'The two versions have the same files';
        quickPick.items = items;
        quickPick.ignoreFocusOut = true;
        quickPick.onDidAccept(() => {
          const item = quickPick.selectedItems[0];
          if (!item?.path) return;
          const leftUri = artifactUri({ ...leftLocation, path: item.path }, item.change === 'added' ? 'missing=1' : '');
          const rightUri = artifactUri({ ...rightLocation, path: item.path }, item.change === 'removed' ? 'missing=1' : '');
          void vscode.commands.executeCommand(
            'vscode.diff',
            leftUri,
            rightUri,
            `${item.path} (${node.tag} ↔ ${other.tag ?? shortHex(other.digest!)})`,
            { preview: true },
          );
        });
        quickPick.onDidHide(() => quickPick.dispose());
        quickPick.show();
        ctx.log.info(`Compared ${node.reference} with ${otherRef}: ${quickPick.title}`);
      },
    );
  } catch (error) {
    throw failure('Compare failed', error);
  }
}
