import * as vscode from 'vscode';
import { isAccessoryTag } from '../../artifact/kind';
import type { DockerConfigCredentials, OciClient } from '../../oci';
import { pageSize, registryEntries } from '../registrySettings';
import type { SecretCredentials } from '../secretCredentials';
import { errorNode, LoadMoreNode, MessageNode, RegistryNode, RepositoryNode, TagNode, type TreeNode } from './nodes';
import { PagedList } from './pagedList';
import { sortTagsNewestFirst } from './tagOrder';

/** Registries → repositories → tags, loaded lazily a page at a time. */
export class RegistriesTreeProvider implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: RegistryNode[] | undefined;

  constructor(
    private readonly client: OciClient,
    private readonly secrets: SecretCredentials,
    private readonly docker: DockerConfigCredentials,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Reloads a node's children (all registries when no node is given). */
  refresh(node?: TreeNode): void {
    if (!node || node.kind === 'message' || node.kind === 'tag' || node.kind === 'loadMore') {
      this.roots = undefined;
      this.changed.fire(undefined);
      return;
    }
    if (node.kind === 'registry') node.repositories.reset();
    else node.tags.reset();
    this.changed.fire(node);
  }

  async loadMore(node: LoadMoreNode): Promise<void> {
    await vscode.window.withProgress({ location: { viewId: 'ociGitops.registries' } }, async () => node.list.load(true));
    this.changed.fire(node.parent);
  }

  /** Finds the node of a tag, loading what leads to it; undefined when its registry is not in the view. */
  async findTag(host: string, repository: string, tag: string): Promise<TagNode | undefined> {
    const registry = (await this.registries()).find((node): node is RegistryNode => node.kind === 'registry' && node.entry.host === host);
    if (!registry) return undefined;
    const repositories = await this.getChildren(registry);
    const repo = repositories.find((node): node is RepositoryNode => node.kind === 'repository' && node.name === repository) ?? this.repositoryNode(registry, repository, true);
    const tags = await this.getChildren(repo);
    return tags.find((node): node is TagNode => node.kind === 'tag' && node.tag === tag);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    switch (node.kind) {
      case 'registry':
        return undefined;
      case 'repository':
        return node.registry;
      case 'tag':
        return node.repository;
      case 'loadMore':
        return node.parent;
      case 'message':
        return node.parent;
    }
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'registry': {
        const item = new vscode.TreeItem(node.entry.label ?? node.entry.host, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `registry:${node.entry.host}`;
        item.description = [node.entry.label ? node.entry.host : undefined, node.entry.origin === 'docker' ? 'Docker config' : undefined, node.signedIn ? 'signed in' : undefined].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon('server');
        item.contextValue = `registry.${node.entry.origin === 'settings' ? 'configured' : 'docker'}${node.signedIn ? '.signedIn' : ''}`;
        item.tooltip = new vscode.MarkdownString().appendText(`${node.entry.host}${node.entry.settings.insecure ? ' (plain HTTP allowed)' : ''}`);
        return item;
      }
      case 'repository': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `repository:${node.reference}`;
        item.iconPath = new vscode.ThemeIcon('repo');
        item.contextValue = 'repository';
        item.description = node.pinned ? 'pinned' : undefined;
        item.tooltip = node.reference;
        return item;
      }
      case 'tag': {
        const item = new vscode.TreeItem(node.tag, vscode.TreeItemCollapsibleState.None);
        item.id = `tag:${node.reference}`;
        item.iconPath = new vscode.ThemeIcon('tag');
        item.contextValue = 'tag';
        item.tooltip = node.reference;
        item.command = { command: 'ociGitops.showArtifact', title: 'Show Artifact Details', arguments: [node] };
        return item;
      }
      case 'loadMore': {
        const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
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

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.registries();
    if (node.kind === 'registry') return this.repositories(node);
    if (node.kind === 'repository') return this.tags(node);
    return [];
  }

  private async registries(): Promise<TreeNode[]> {
    if (!this.roots) {
      const entries = await registryEntries(this.docker, this.log);
      this.roots = await Promise.all(entries.map(async (entry) => {
        const signedIn = await this.secrets.has(entry.host);
        const list = new PagedList<string>((cursor, signal) => this.client.registry(entry.host).repositoryPage({ pageSize: pageSize(), cursor, signal }));
        return new RegistryNode(entry, signedIn, list);
      }));
    }
    return this.roots;
  }

  private async repositories(node: RegistryNode): Promise<TreeNode[]> {
    await node.repositories.load();
    const pinned = node.entry.repositories;
    const children: TreeNode[] = pinned.map((name) => this.repositoryNode(node, name, true));
    if (node.repositories.error) {
      children.push(errorNode(node, node.repositories.error));
      this.log.warn(`Listing repositories of ${node.entry.host}: ${(node.repositories.error as Error).message}`);
      return children;
    }
    for (const name of node.repositories.items) if (!pinned.includes(name)) children.push(this.repositoryNode(node, name, false));
    if (node.repositories.hasMore) children.push(new LoadMoreNode(node, node.repositories));
    if (children.length === 0) children.push(new MessageNode(node, 'No repositories', `${node.entry.host} lists no repositories`, 'info'));
    return children;
  }

  private repositoryNode(registry: RegistryNode, name: string, pinned: boolean): RepositoryNode {
    const list = new PagedList<string>((cursor, signal) => this.client.repository(`${registry.entry.host}/${name}`).tagPage({ pageSize: pageSize(), cursor, signal }));
    return new RepositoryNode(registry, name, list, pinned);
  }

  private async tags(node: RepositoryNode): Promise<TreeNode[]> {
    await node.tags.load();
    if (node.tags.error) {
      this.log.warn(`Listing tags of ${node.reference}: ${(node.tags.error as Error).message}`);
      return [errorNode(node, node.tags.error)];
    }
    const visible = sortTagsNewestFirst(node.tags.items.filter((tag) => !isAccessoryTag(tag)));
    const children: TreeNode[] = visible.map((tag) => new TagNode(node, tag));
    if (node.tags.hasMore) children.push(new LoadMoreNode(node, node.tags));
    if (children.length === 0) children.push(new MessageNode(node, 'No tags', `${node.reference} has no tags`, 'info'));
    return children;
  }
}
