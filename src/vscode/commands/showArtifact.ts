import * as vscode from 'vscode';
import type { ArtifactNode, TagNode } from '../tree/nodes';
import { isAccessoryTag } from '../../artifact/kinds';
import { ArtifactPanel } from '../webviews/ArtifactPanel';
import { sortTagsNewestFirst } from '../../artifact/tagOrder';
import { compareArtifact } from './compareWith';
import type { CommandContext } from './context';
import { failure } from '../commandWrapper/commandFailure';
import { tagImpact } from '../impact/workspaceImpact';

export async function showArtifact(ctx: CommandContext, node: TagNode | ArtifactNode | undefined): Promise<void> {
  if (!node) return;
  try {
    await vscode.window.withProgress({ location: { viewId: 'ociGitops.registries' }, title: `Loading ${node.reference}` }, () =>
      ArtifactPanel.show(
        ctx.extension.extensionUri,
        ctx.client.repository(node.repository.ref),
        node.ref,
        ctx.contents,
        ctx.log,
        async (base) => {
          const tags = await ctx.client
            .repository(base)
            .tagPage({ pageSize: 100 })
            .then(
              (page) => page.items,
              () => [] as string[],
            );
          await compareArtifact(ctx, base, sortTagsNewestFirst(tags.filter((tag) => !isAccessoryTag(tag))));
        },
        node.kind === 'tag' ? (signal) => tagImpact(ctx, node.ref, signal) : undefined,
      ),
    );
  } catch (error) {
    throw failure(`Could not show ${node.reference}`, error);
  }
}
