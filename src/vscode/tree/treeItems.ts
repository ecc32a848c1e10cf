import * as vscode from 'vscode';
import { recogniseArtifactType } from '../../artifact/kinds';
import type { ArtifactSummary } from '../../artifact/summary';
import type { ArtifactBadge } from '../../signing/signatureStatus';
import { age, errorMessage, formatSize, shortHex } from '../../text/format';
import { artifactUri } from '../fs/ociUri';
import type { ArtifactNode, FileNode, RegistryNode, RepositoryNode, TagNode, TreeNode } from './nodes';

/** How each node of the Registries view looks: label, icon, description, tooltip, context value, click. */
export function treeItem(node: TreeNode): vscode.TreeItem {
  switch (node.kind) {
    case 'registry':
      return registryItem(node);
    case 'repository':
      return repositoryItem(node);
    case 'tag':
      return tagItem(node);
    case 'artifact':
      return artifactItem(node);
    case 'file':
      return fileItem(node);
    case 'loadMore': {
      const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
      item.description = node.description;
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.contextValue = 'loadMore';
      item.command = { command: 'ociGitops.loadMore', title: 'Load More', arguments: [node] };
      return item;
    }
    case 'message': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.tooltip = node.detail;
      item.contextValue = 'message';
      item.command = node.command;
      return item;
    }
  }
}

/** Tree item ids must be unique, and one artifact can appear under several tags and referrers: ids follow the path. */
function idOf(node: TagNode | ArtifactNode | FileNode): string {
  if (node.kind === 'tag') return `tag:${node.reference}`;
  if (node.kind === 'artifact') return `${idOf(node.parent)}>${node.digest}`;
  return `${idOf(node.parent)}/${node.name}`;
}

function registryItem(node: RegistryNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.entry.label ?? node.entry.host, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `registry:${node.entry.host}`;
  item.description = [
    node.entry.label ? node.entry.host : undefined,
    node.entry.origin === 'docker' ? 'Docker config' : undefined,
    node.signedIn ? 'signed in' : undefined,
    node.filter ? `filter: ${node.filter}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  item.iconPath = new vscode.ThemeIcon('server');
  item.contextValue = `registry.${node.entry.origin === 'settings' ? 'configured' : 'docker'}${node.signedIn ? '.signedIn' : ''}${node.filter ? '.filtered' : ''}`;
  item.tooltip = `${node.entry.host}${node.entry.settings.insecure ? ' (plain HTTP allowed)' : ''}`;
  return item;
}

function repositoryItem(node: RepositoryNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `repository:${node.reference}`;
  item.iconPath = new vscode.ThemeIcon('repo');
  item.contextValue = `repository${node.filter ? '.filtered' : ''}`;
  item.description =
    [node.pinned ? 'pinned' : undefined, node.filter ? `filter: ${node.filter}` : undefined].filter(Boolean).join(' · ') || undefined;
  item.tooltip = node.reference;
  return item;
}

function tagItem(node: TagNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.tag, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = idOf(node);
  item.contextValue = 'tag';
  item.command = { command: 'ociGitops.showArtifact', title: 'Show Artifact Details', arguments: [node] };
  const summary = node.summary;
  if (summary) {
    item.iconPath = new vscode.ThemeIcon(summary.kind.kind.icon);
    item.description =
      node.signatures && node.signatures.badge !== 'unsigned'
        ? `${BADGE_TEXT[node.signatures.badge]} · ${describe(summary)}`
        : describe(summary);
    const tip = tooltip(node.reference, summary);
    if (node.signatures) tip.appendText(`\nsignatures: ${node.signatures.summary}`);
    item.tooltip = tip;
  } else if (node.summaryError) {
    item.iconPath = new vscode.ThemeIcon('warning');
    item.description = 'could not be read';
    item.tooltip = errorMessage(node.summaryError);
  } else {
    item.iconPath = new vscode.ThemeIcon('tag');
    item.tooltip = node.reference;
  }
  return item;
}

function artifactItem(node: ArtifactNode): vscode.TreeItem {
  const kind = node.summary?.kind.kind ?? node.kindHint ?? recogniseArtifactType(node.descriptor.artifactType);
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = idOf(node);
  item.iconPath = new vscode.ThemeIcon(node.role === 'platform' ? 'device-desktop' : kind.icon);
  item.description = `${node.badge ? `${BADGE_TEXT[node.badge]} · ` : ''}${shortHex(node.digest)} · ${formatSize(node.descriptor.size)}`;
  item.contextValue = `artifact.${node.role}`;
  item.command = { command: 'ociGitops.showArtifact', title: 'Show Artifact Details', arguments: [node] };
  const md = new vscode.MarkdownString();
  md.appendText(`${kind.label}\n${node.reference}\n${node.descriptor.artifactType ?? node.descriptor.mediaType}`);
  const created = node.descriptor.annotations?.['org.opencontainers.image.created'];
  if (created) md.appendText(`\ncreated ${created}`);
  item.tooltip = md;
  return item;
}

function fileItem(node: FileNode): vscode.TreeItem {
  const item = new vscode.TreeItem(
    node.name,
    node.isDirectory ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  const uri = artifactUri({
    registry: node.artifact.repository.registry.entry.host,
    repository: node.artifact.repository.name,
    digest: node.digest,
    path: node.path,
  });
  item.id = idOf(node);
  item.resourceUri = uri;
  item.iconPath = node.isDirectory ? vscode.ThemeIcon.Folder : vscode.ThemeIcon.File;
  item.contextValue = node.isDirectory ? 'folder' : 'file';
  if (!node.isDirectory) item.command = { command: 'vscode.open', title: 'Open', arguments: [uri, { preview: true }] };
  return item;
}

const BADGE_TEXT: Record<ArtifactBadge, string> = {
  verified: '✓ verified',
  invalid: '✗ invalid',
  unverified: 'signed, not verified',
  unsigned: 'unsigned',
};

/** A tag's description: what it is, digest, size, age. */
function describe(summary: ArtifactSummary): string {
  const parts = [summary.headline ?? summary.kind.kind.label];
  parts.push(shortHex(summary.descriptor.digest));
  parts.push(formatSize(summary.contentSize));
  if (summary.created) parts.push(age(summary.created));
  return parts.join(' · ');
}

function tooltip(reference: string, summary: ArtifactSummary): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**`).appendText(reference).appendMarkdown(`**\n\n`);
  md.appendText(`${summary.kind.kind.label} · ${summary.descriptor.digest}\n`);
  if (summary.kind.kind.id === 'unknown') md.appendText(`media types: ${summary.kind.mediaTypes.join(', ')}\n`);
  if (summary.source) md.appendText(`source: ${summary.source}\n`);
  if (summary.revision) md.appendText(`revision: ${summary.revision}\n`);
  if (summary.created) md.appendText(`created: ${summary.created.toISOString()}\n`);
  if (summary.platforms) md.appendText(`platforms: ${summary.platforms.join(', ')}\n`);
  return md;
}
