import * as vscode from 'vscode';
import { tagPlacements } from '../../clusters/where';
import { shortDigest } from '../../text/format';
import type { TagNode } from '../tree/nodes';
import { clusterReadings } from './clusterReadings';

/**
 * Marks a tag of the Registries view with where it runs ("running in prod-eu, staging") and where
 * a source following it runs an older digest ("behind in staging"), with both digests in the
 * tooltip. Readings come from the Clusters view; none is made here.
 */
export function markTag(item: vscode.TreeItem, node: TagNode): void {
  if (clusterReadings.readings.length === 0) return;
  const ref = node.ref;
  const { running, behind } = tagPlacements(clusterReadings.readings, {
    registry: ref.registry,
    repository: ref.repository,
    tag: node.tag,
    ...(node.digest ? { digest: node.digest } : {}),
  });
  if (running.length === 0 && behind.length === 0) return;
  const parts: string[] = [];
  if (running.length > 0) parts.push(`running in ${running.join(', ')}`);
  if (behind.length > 0) parts.push(`behind in ${[...new Set(behind.map((b) => b.context))].join(', ')}`);
  item.description = [parts.join(' · '), item.description].filter((d) => typeof d === 'string' && d !== '').join(' · ');
  const tip =
    item.tooltip instanceof vscode.MarkdownString
      ? item.tooltip
      : new vscode.MarkdownString(typeof item.tooltip === 'string' ? item.tooltip : '');
  if (running.length > 0) tip.appendMarkdown(`\n\n**Running in** ${running.join(', ')}`);
  for (const b of behind)
    tip.appendText(
      `\nBehind in ${b.context}: ${b.source.kind} ${b.source.namespace}/${b.source.name} runs ${shortDigest(b.runs)}; ${node.tag} is now ${shortDigest(b.tagIs)}`,
    );
  item.tooltip = tip;
}
