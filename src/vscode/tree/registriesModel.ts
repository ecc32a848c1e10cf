import * as vscode from 'vscode';
import { describeReferrers } from '../../artifact/describe';
import { folderEntries } from '../../artifact/folderView';
import { kindById } from '../../artifact/kinds';
import type { ArtifactSummary } from '../../artifact/summary';
import { LIST_SUMMARIES, SummaryQueue } from '../../artifact/summaryQueue';
import { isIndex, pinned, type DockerConfigCredentials, type OciClient } from '../../oci';
import { errorMessage, shortDigest } from '../../text/format';
import type { ArtifactContentCache } from '../fs/ArtifactContentCache';
import { pageSize, registryEntries } from '../registrySettings';
import type { SecretCredentials } from '../secretCredentials';
import {
  ArtifactNode,
  errorNode,
  FileNode,
  LoadMoreNode,
  MessageNode,
  RegistryNode,
  RepositoryNode,
  TagNode,
  type TreeNode,
} from './nodes';
import { PagedList } from './pagedList';
import { SignatureTrust } from './signatureTrust';
import { MAX_LISTED_TAGS, TagListing } from './tagListing';

/**
 * What the Registries view shows, loaded lazily a page at a time: registries → repositories →
 * tags → files and referrers. It loads and remembers; turning nodes into tree items is treeItems.ts.
 * `onDidChange` names the node whose children or item changed (undefined: everything).
 */
export class RegistriesModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChange = this.changed.event;
  private roots: RegistryNode[] | undefined;
  private readonly pendingSummaries: TagNode[] = [];
  private readonly summaries = new SummaryQueue();
  private summariesTimer?: NodeJS.Timeout;
  private readonly trust = new SignatureTrust();

  constructor(
    private readonly client: OciClient,
    private readonly secrets: SecretCredentials,
    private readonly docker: DockerConfigCredentials,
    private readonly contents: ArtifactContentCache,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Forgets a node's children (all registries when no node is given), to be loaded again. */
  refresh(node?: TreeNode): void {
    if (!node || node.kind === 'message' || node.kind === 'loadMore' || node.kind === 'file') {
      this.roots = undefined;
      this.changed.fire(undefined);
      return;
    }
    if (node.kind === 'registry') node.repositories.reset();
    else if (node.kind === 'repository') {
      node.tags.reset();
      node.tagNodes.clear();
    } else if (node.kind === 'tag') {
      node.summary = undefined;
      node.summaryError = undefined;
    }
    this.changed.fire(node);
  }

  /** Draws every item again from what is loaded, loading nothing (the clusters' marks changed). */
  redraw(): void {
    this.changed.fire(undefined);
  }

  async loadMore(node: LoadMoreNode): Promise<void> {
    await node.list.more();
    this.changed.fire(node.parent);
  }

  setFilter(node: RegistryNode | RepositoryNode, filter: string): void {
    node.filter = filter;
    this.changed.fire(node);
  }

  /** Finds the node of a tag, loading what leads to it; undefined when its registry is not in the view. */
  async findTag(host: string, repository: string, tag: string): Promise<TagNode | undefined> {
    const registry = (await this.registries()).find((node) => node.entry.host === host);
    if (!registry) return undefined;
    const repositories = await this.children(registry);
    const repo =
      repositories.find((node): node is RepositoryNode => node.kind === 'repository' && node.name === repository) ??
      this.repositoryNode(registry, repository, true);
    // The tag may sit pages below what is shown, or behind a filter: show it first.
    await repo.tags.load();
    if (repo.tags.reveal(tag)) this.changed.fire(repo);
    const tags = await this.children(repo);
    return tags.find((node): node is TagNode => node.kind === 'tag' && node.tag === tag);
  }

  async summaryOf(node: TagNode | ArtifactNode): Promise<ArtifactSummary> {
    node.summary ??= await this.summaries.now(this.client.repository(node.repository.ref), node.kind === 'tag' ? node.tag : node.digest);
    return node.summary;
  }

  async children(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.registries();
    switch (node.kind) {
      case 'registry':
        return this.repositories(node);
      case 'repository':
        return this.tags(node);
      case 'tag':
      case 'artifact':
        return this.artifactChildren(node);
      case 'file':
        return this.files(node.artifact, node.digest, node.path, node);
      default:
        return [];
    }
  }

  dispose(): void {
    clearTimeout(this.summariesTimer);
    this.changed.dispose();
  }

  private async registries(): Promise<RegistryNode[]> {
    if (!this.roots) {
      const entries = await registryEntries(this.docker, this.log);
      this.roots = await Promise.all(
        entries.map(async (entry) => {
          const signedIn = await this.secrets.has(entry.host);
          const list = new PagedList<string>((cursor, signal) =>
            this.client.registry(entry.host).repositoryPage({ pageSize: pageSize(), cursor, signal }),
          );
          return new RegistryNode(entry, signedIn, list);
        }),
      );
    }
    return this.roots;
  }

  private async repositories(node: RegistryNode): Promise<TreeNode[]> {
    await node.repositories.load();
    const matches = (name: string) => !node.filter || name.includes(node.filter);
    const pinned = node.entry.repositories;
    const children: TreeNode[] = pinned.filter(matches).map((name) => this.repositoryNode(node, name, true));
    if (node.repositories.error) {
      children.push(errorNode(node, node.entry.host, node.repositories.error));
      this.log.warn(`Listing repositories of ${node.entry.host}: ${errorMessage(node.repositories.error)}`);
      return children;
    }
    for (const name of node.repositories.items)
      if (!pinned.includes(name) && matches(name)) children.push(this.repositoryNode(node, name, false));
    if (node.repositories.hasMore) children.push(new LoadMoreNode(node, node.repositories));
    if (children.length === 0)
      children.push(
        new MessageNode(
          node,
          node.filter ? `No repositories match "${node.filter}"` : 'No repositories — Add Repository…',
          `${node.entry.host} lists no repositories`,
          'info',
          { command: 'ociGitops.addRepository', title: 'Add Repository…', arguments: [node] },
        ),
      );
    return children;
  }

  private repositoryNode(registry: RegistryNode, name: string, pinned: boolean): RepositoryNode {
    // The whole listing at 1,000 tags a request (as the CLI asks); the view shows pageSize() at a time.
    const node: RepositoryNode = new RepositoryNode(
      registry,
      name,
      new TagListing(() => this.client.repository(node.ref).tags({ pageSize: 1000 }), pageSize),
      pinned,
    );
    return node;
  }

  private async tags(node: RepositoryNode): Promise<TreeNode[]> {
    await node.tags.load();
    if (node.tags.error) {
      this.log.warn(`Listing tags of ${node.reference}: ${errorMessage(node.tags.error)}`);
      return [errorNode(node, node.registry.entry.host, node.tags.error)];
    }
    const children: TreeNode[] = node.tags.shown.map((tag) => {
      let child = node.tagNodes.get(tag);
      if (!child) {
        child = new TagNode(node, tag);
        node.tagNodes.set(tag, child);
        this.queueSummary(child);
      }
      return child;
    });
    const matching = node.tags.matching.length;
    if (node.tags.hasMore)
      children.push(
        new LoadMoreNode(
          node,
          node.tags,
          `${children.length.toLocaleString('en-US')} of ${matching.toLocaleString('en-US')}${node.filter ? ` matching "${node.filter}"` : ''}`,
        ),
      );
    if (node.tags.truncated)
      children.push(
        new MessageNode(
          node,
          `Only the first ${MAX_LISTED_TAGS.toLocaleString('en-US')} tags are listed`,
          `${node.reference} lists more tags than the view holds; use Filter… or the CLI (oci-gitops tags)`,
          'warning',
        ),
      );
    if (children.length === 0)
      children.push(
        new MessageNode(node, node.filter ? `No tags match "${node.filter}"` : 'No tags', `${node.reference} has no tags`, 'info'),
      );
    return children;
  }

  /**
   * Reads tag manifests in the background, a bounded number at a time (SummaryQueue), and redraws
   * each tag as it arrives. They start a moment after a page of tags is handed to the view, so the
   * page shows first.
   */
  private queueSummary(node: TagNode): void {
    this.pendingSummaries.push(node);
    this.summariesTimer ??= setTimeout(() => {
      this.summariesTimer = undefined;
      for (const pending of this.pendingSummaries.splice(0)) {
        this.summaries
          .queued(this.client.repository(pending.repository.ref), pending.tag)
          .then((summary) => {
            pending.summary ??= summary;
          })
          .catch((error: unknown) => {
            pending.summaryError = error;
          })
          .finally(() => this.changed.fire(pending));
      }
    }, LIST_SUMMARIES.afterMs);
  }

  private async artifactChildren(node: TagNode | ArtifactNode): Promise<TreeNode[]> {
    const host = node.repository.registry.entry.host;
    let summary: ArtifactSummary;
    try {
      summary = await this.summaryOf(node);
    } catch (error) {
      return [errorNode(node, host, error)];
    }
    const children: TreeNode[] = [];
    if (isIndex(summary.manifest)) {
      summary.manifest.manifests.forEach((m, i) =>
        children.push(new ArtifactNode(node.repository, node, m, summary.platforms?.[i] ?? shortDigest(m.digest), 'platform')),
      );
    } else if (summary.kind.kind.id === 'image') {
      children.push(
        new MessageNode(node, 'Container image: its layers are file systems, not manifests', summary.kind.mediaTypes.join('\n'), 'info'),
      );
    } else if (!summary.kind.kind.accessory) {
      children.push(...(await this.files(node, summary.descriptor.digest, '', node)));
    }
    try {
      for (const referrer of await describeReferrers(this.client.repository(node.repository.ref), summary.descriptor.digest))
        children.push(new ArtifactNode(node.repository, node, referrer.descriptor, referrer.label, 'referrer', kindById(referrer.kind.id)));
    } catch (error) {
      children.push(errorNode(node, host, error));
    }
    if (node.kind === 'tag' && children.some((c) => c.kind === 'artifact' && c.role === 'referrer')) {
      await this.markSignatures(node, summary, children);
    }
    if (children.length === 0) children.push(new MessageNode(node, 'No files or referrers', summary.kind.mediaTypes.join('\n'), 'info'));
    return children;
  }

  /** Verifies the tag's signatures against the configured keys and trust, and badges tag and signatures. */
  private async markSignatures(node: TagNode, summary: ArtifactSummary, children: TreeNode[]): Promise<void> {
    try {
      const [trust, { signatureStatus }] = await Promise.all([this.trust.get(), import('../../signing/signatureStatus.js')]);
      const before = node.signatures;
      node.signatures = await signatureStatus(this.client.repository(node.repository.ref), summary.descriptor, trust);
      for (const child of children) if (child.kind === 'artifact') child.badge = node.signatures.byManifest.get(child.digest);
      // The children carry their badges already; only the tag's own row may need redrawing. Firing
      // for it unconditionally would have the view ask for its children again, and so on forever.
      if (before?.badge !== node.signatures.badge || before.summary !== node.signatures.summary) this.changed.fire(node);
    } catch (error) {
      this.log.warn(`Checking the signatures of ${node.reference}: ${errorMessage(error)}`);
    }
  }

  private async files(
    artifact: TagNode | ArtifactNode,
    digest: string,
    path: string,
    parent: TagNode | ArtifactNode | FileNode,
  ): Promise<TreeNode[]> {
    try {
      const contents = await this.contents.files(pinned(artifact.repository.ref, digest));
      const nodes: TreeNode[] = folderEntries(contents.files.keys(), path).map(
        (entry) => new FileNode(artifact, digest, entry.path, entry.isDirectory, parent),
      );
      if (path === '') {
        for (const skipped of contents.skipped) nodes.push(new MessageNode(parent, `${skipped.path} (skipped)`, skipped.reason, 'warning'));
      }
      return nodes;
    } catch (error) {
      return [errorNode(parent, artifact.repository.registry.entry.host, error)];
    }
  }
}
