import * as vscode from 'vscode';
import type { ConsumerImpact, ImpactReport } from '../../gitops/impact/contract';
import { checkText, consumerName, orderedConsumers, pickText, verdictText, where } from '../../gitops/impact/describeImpact';
import { relativePath } from './workspaceImpact';

type ConsumerItem = vscode.QuickPickItem & { impact?: ConsumerImpact };

const ICONS = { accepts: '$(pass)', refuses: '$(error)', unknown: '$(question)' } as const;

/**
 * The consumers of an artifact as a quick pick (Show Consumers on a tag, and after a push): refusals
 * first, each with its pick, verdict and checks; choosing one opens its file at its line.
 */
export async function pickConsumer(report: ImpactReport, title: string): Promise<void> {
  const items: ConsumerItem[] = orderedConsumers(report).map((impact) => ({
    label: `${ICONS[impact.acceptance]} ${consumerName(impact)}`,
    description: `${pickText(impact.pick)} · ${verdictText(impact)}`,
    detail: [where(impact.consumer.declaredAt, relativePath), ...impact.checks.map((c) => checkText(c, relativePath))].join('  ·  '),
    impact,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: 'Pick one to open where it is declared',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked?.impact) return;
  const { file, line } = picked.impact.consumer.declaredAt;
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(position, position) });
}
