import type * as vscode from 'vscode';
import type { ConsumersView } from '../../../webview/messages';
import type { DeclaredAt, ImpactReport } from '../../gitops/impact/contract';
import { errorMessage } from '../../text/format';

/** The impact report as the panel's text rows, and where each consumer is declared (kept by the host). */
export async function consumersView(
  consumers: (signal: AbortSignal) => Promise<ImpactReport | undefined>,
  signal: AbortSignal,
  log: vscode.LogOutputChannel,
): Promise<{ view: ConsumersView; places: DeclaredAt[] }> {
  try {
    const report = await consumers(signal);
    if (!report)
      return {
        view: {
          type: 'consumers',
          consumers: [],
          note: 'Open a folder with your GitOps files to see which of them consume this artifact.',
        },
        places: [],
      };
    const { checkText, consumerName, orderedConsumers, pickText, verdictText, where } =
      await import('../../gitops/impact/describeImpact.js');
    const { wouldRefuse } = await import('../../gitops/impact/contract.js');
    const { relativePath } = await import('./workspaceImpact.js');
    const ordered = orderedConsumers(report);
    return {
      view: {
        type: 'consumers',
        consumers: ordered.map((impact) => ({
          name: consumerName(impact),
          where: where(impact.consumer.declaredAt, relativePath),
          pick: pickText(impact.pick),
          verdict: verdictText(impact),
          refuses: wouldRefuse(impact),
          checks: impact.checks.map((c) => checkText(c, relativePath)),
        })),
      },
      places: ordered.map((impact) => impact.consumer.declaredAt),
    };
  } catch (error) {
    log.warn(`Could not work out the workspace consumers: ${errorMessage(error)}`);
    return {
      view: { type: 'consumers', consumers: [], note: `Could not work out the workspace consumers: ${errorMessage(error)}` },
      places: [],
    };
  }
}
