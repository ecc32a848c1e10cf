import * as vscode from 'vscode';
import type { ConsumerImpact } from '../../gitops/impact/contract';
import { checkText, consumerName, orderedConsumers, pickText, verdictText, where } from '../../gitops/impact/describeImpact';
import { formatReference } from '../../oci';
import { errorMessage } from '../../text/format';
import { relativePath, tagImpact } from '../impact/workspaceImpact';
import type { TagNode } from '../tree/nodes';
import type { CommandContext } from './context';

type ConsumerPick = vscode.QuickPickItem & { impact?: ConsumerImpact };

const ICONS = { accepts: '$(pass)', refuses: '$(error)', unknown: '$(question)' } as const;

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
  const items: ConsumerPick[] = orderedConsumers(report).map((impact) => ({
    label: `${ICONS[impact.acceptance]} ${consumerName(impact)}`,
    description: `${pickText(impact.pick)} · ${verdictText(impact)}`,
    detail: [where(impact.consumer.declaredAt, relativePath), ...impact.checks.map((c) => checkText(c, relativePath))].join('  ·  '),
    impact,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Consumers of ${reference}`,
    placeHolder: 'Pick one to open where it is declared',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked?.impact) return;
  const { file, line } = picked.impact.consumer.declaredAt;
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(position, position) });
}
