import * as vscode from 'vscode';
import { formatReference } from '../../oci';
import { errorMessage } from '../../text/format';
import { pickConsumer } from '../impact/consumerPick';
import { relativePath, tagImpact } from '../impact/workspaceImpact';
import type { TagNode } from '../tree/nodes';
import type { CommandContext } from './context';

/**
 * "Show Consumers" on a tag: every workspace object that pulls from its repository, with whether it
 * picks this tag and would accept it, and why; choosing one opens its file at its line.
 */
export async function showConsumers(ctx: CommandContext, node: TagNode | undefined): Promise<void> {
  if (node?.kind !== 'tag') return;
  const reference = node.reference;
  let report;
  try {
    report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Finding the workspace consumers of ${reference}…`, cancellable: true },
      (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return tagImpact(ctx, node.ref, abort.signal);
      },
    );
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') return;
    ctx.log.error(`Show Consumers of ${reference}: ${errorMessage(error)}`);
    void vscode.window.showErrorMessage(`Could not find the consumers of ${reference}: ${errorMessage(error)}`);
    return;
  }
  if (!report) {
    void vscode.window.showInformationMessage('Open a folder with your GitOps files to see which of them consume this tag.');
    return;
  }
  for (const skipped of report.skipped) ctx.log.info(`Show Consumers: skipped ${relativePath(skipped.file)}: ${skipped.reason}`);
  if (report.consumers.length === 0) {
    void vscode.window.showInformationMessage(`No workspace file pulls from ${formatReference({ ...node.ref, tag: undefined })}.`);
    return;
  }
  await pickConsumer(report, `Consumers of ${reference}`);
}
