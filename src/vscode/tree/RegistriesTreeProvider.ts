import * as vscode from 'vscode';
import type { ArtifactSummary } from '../../artifact/summary';
import type { DockerConfigCredentials, OciClient } from '../../oci';
import { clusterReadings } from '../clusters/clusterReadings';
import { markTag } from '../clusters/tagMarks';
import type { ArtifactContentCache } from '../fs/ArtifactContentCache';
import type { SecretCredentials } from '../secretCredentials';
import type { ArtifactNode, LoadMoreNode, RegistryNode, RepositoryNode, TagNode, TreeNode } from './nodes';
import { RegistriesModel } from './registriesModel';
import { treeItem } from './treeItems';

/**
 * The Registries view's data provider: VS Code asks it for items, children and parents, and the
 * commands ask it to refresh, filter and find. What the view holds and loads is RegistriesModel;
 * how a node looks is treeItems.ts.
 */
export class RegistriesTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly model: RegistriesModel;
  readonly onDidChangeTreeData: vscode.Event<TreeNode | undefined>;
  private readonly marks: vscode.Disposable;

  constructor(
    client: OciClient,
    secrets: SecretCredentials,
    docker: DockerConfigCredentials,
    contents: ArtifactContentCache,
    log: vscode.LogOutputChannel,
  ) {
    this.model = new RegistriesModel(client, secrets, docker, contents, log);
    this.onDidChangeTreeData = this.model.onDidChange;
    this.marks = clusterReadings.onDidChange(() => this.model.redraw());
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const item = treeItem(node);
    if (node.kind === 'tag') markTag(item, node);
    return item;
  }

  getChildren(node?: TreeNode): Promise<TreeNode[]> {
    return this.model.children(node);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    switch (node.kind) {
      case 'registry':
        return undefined;
      case 'repository':
        return node.registry;
      case 'tag':
        return node.repository;
      case 'artifact':
      case 'file':
      case 'loadMore':
      case 'message':
        return node.parent;
    }
  }

  /** Reloads a node's children (all registries when no node is given). */
  refresh(node?: TreeNode): void {
    this.model.refresh(node);
  }

  async loadMore(node: LoadMoreNode): Promise<void> {
    await vscode.window.withProgress({ location: { viewId: 'ociGitops.registries' } }, () => this.model.loadMore(node));
  }

  setFilter(node: RegistryNode | RepositoryNode, filter: string): void {
    this.model.setFilter(node, filter);
  }

  /** Finds the node of a tag, loading what leads to it; undefined when its registry is not in the view. */
  findTag(host: string, repository: string, tag: string): Promise<TagNode | undefined> {
    return this.model.findTag(host, repository, tag);
  }

  /** Every tag of a repository, newest first (for "Compare With…"), as far as it has been listed. */
  loadedTags(node: RepositoryNode): string[] {
    return node.tags.all;
  }

  summaryOf(node: TagNode | ArtifactNode): Promise<ArtifactSummary> {
    return this.model.summaryOf(node);
  }

  dispose(): void {
    this.marks.dispose();
    this.model.dispose();
  }
}
