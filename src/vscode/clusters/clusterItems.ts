import * as vscode from 'vscode';
import type { ClusterSource } from '../../clusters/model';
import { isReconcilable } from '../../clusters/reconcile';
import { conditionText } from './clusterDetails';
import type { ClusterNode, DetailNode, SourceNode } from './clusterNodes';

const KIND_ICONS: Record<ClusterSource['kind'], string> = {
  OCIRepository: 'package',
  HelmRepository: 'library',
  Application: 'rocket',
  Pod: 'server-process',
};

/** How a node of the Clusters view looks. */
export function clusterItem(node: ClusterNode): vscode.TreeItem {
  switch (node.kind) {
    case 'context': {
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `context:${node.name}`;
      item.contextValue = 'clusterContext';
      const reading = node.reading;
      item.iconPath = new vscode.ThemeIcon(reading?.error ? 'debug-disconnect' : 'server-environment');
      item.description = reading?.error
        ? 'not read'
        : reading
          ? `${reading.sources.length} OCI source${reading.sources.length === 1 ? '' : 's'}`
          : node.server;
      item.tooltip = [node.server, reading?.error].filter(Boolean).join('\n');
      return item;
    }
    case 'source':
      return sourceItem(node);
    case 'detail':
      return detailItem(node);
    case 'note': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.tooltip = node.tooltip ?? node.label;
      item.contextValue = 'clusterNote';
      return item;
    }
  }
}

function sourceItem(node: SourceNode): vscode.TreeItem {
  const s = node.source;
  const item = new vscode.TreeItem(`${s.namespace}/${s.name}`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `source:${s.context}/${s.kind}/${s.namespace}/${s.name}/${s.url}${s.volume ? `/${s.volume}` : ''}`;
  item.iconPath = new vscode.ThemeIcon(KIND_ICONS[s.kind]);
  item.description = [s.kind, revisionText(s), statusText(s)].filter(Boolean).join(' · ');
  item.tooltip = new vscode.MarkdownString(
    [
      `**${s.kind} ${s.namespace}/${s.name}** in ${s.context}`,
      `\`${s.url}\`${s.ref ? ` (asks for ${s.ref})` : ''}`,
      `Revision: ${s.revision ?? 'none yet'}`,
      statusText(s),
      s.lastReconciled ? `Last reconciled ${s.lastReconciled}` : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
  );
  item.contextValue = isReconcilable(s.kind) ? 'clusterSource.reconcilable' : 'clusterSource';
  if (s.registry && s.repository && s.tag)
    item.command = { command: 'ociGitops.clusters.openInRegistries', title: 'Open in Registries View', arguments: [node] };
  return item;
}

function detailItem(node: DetailNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.description = node.value;
  item.iconPath = new vscode.ThemeIcon(node.icon);
  item.tooltip = node.tooltip ?? `${node.label}: ${node.value}`;
  item.contextValue = 'clusterDetail';
  return item;
}

function revisionText(s: ClusterSource): string {
  if (s.kind === 'Pod') return `${s.ref ?? s.url}${s.digest ? '' : ' (digest not reported)'}`;
  if (!s.revision) return 'no revision yet';
  return s.revision.replace(/sha256:([a-f0-9]{12})[a-f0-9]{52}/, 'sha256:$1');
}

function statusText(s: ClusterSource): string {
  return [
    conditionText('Ready', s.ready),
    s.verified ? (s.verified.status === 'True' ? 'verified' : 'verification failed') : '',
    s.health ?? '',
    s.sync && s.sync !== 'Synced' ? s.sync : '',
  ]
    .filter(Boolean)
    .join(', ');
}
