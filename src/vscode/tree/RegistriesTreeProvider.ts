import * as vscode from 'vscode';
import { describeReferrers } from '../../artifact/describe';
import { kindById, recogniseArtifactType } from '../../artifact/kinds';
import { age, summarise, type ArtifactSummary } from '../../artifact/summary';
import { isIndex, type DockerConfigCredentials, type OciClient } from '../../oci';
import type { ArtifactContentCache } from '../fs/ArtifactContentCache';
import { artifactUri } from '../fs/ociUri';
import { formatSize } from '../../text/formatSize';
import type { ArtifactBadge } from '../../signing/signatureStatus';
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
import { MAX_LISTED_TAGS, TagListing } from './tagListing';

/** Registries → repositories → tags → files and referrers, loaded lazily a page at a time. */
export class RegistriesTreeProvider implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: RegistryNode[] | undefined;
  private readonly pendingSummaries: TagNode[] = [];
  private summariesRunning = 0;
  private summariesTimer?: NodeJS.Timeout;

  constructor(
    private readonly client: OciClient,
    private readonly secrets: SecretCredentials,
    private readonly docker: DockerConfigCredentials,
    private readonly contents: ArtifactContentCache,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Reloads a node's children (all registries when no node is given). */
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

  async loadMore(node: LoadMoreNode): Promise<void> {
    await vscode.window.withProgress({ location: { viewId: 'ociGitops.registries' } }, () => node.list.more());
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
    const repositories = await this.getChildren(registry);
    const repo =
      repositories.find((node): node is RepositoryNode => node.kind === 'repository' && node.name === repository) ??
      this.repositoryNode(registry, repository, true);
    // The tag may sit pages below what is shown, or behind a filter: show it first.
    await repo.tags.load();
    if (repo.tags.reveal(tag)) this.changed.fire(repo);
    const tags = await this.getChildren(repo);
    return tags.find((node): node is TagNode => node.kind === 'tag' && node.tag === tag);
  }

  /** Every tag of a repository, newest first (for "Compare With…"), as far as it has been listed. */
  loadedTags(node: RepositoryNode): string[] {
    return node.tags.all;
  }

  async summaryOf(node: TagNode | ArtifactNode): Promise<ArtifactSummary> {
    if (!node.summary) {
      node.summary = await summarise(this.client.repository(node.repository.reference), node.kind === 'tag' ? node.tag : node.digest);
    }
    return node.summary;
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
        return node.parent;
      case 'file':
        return node.parent;
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
      case 'repository': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `repository:${node.reference}`;
        item.iconPath = new vscode.ThemeIcon('repo');
        item.contextValue = `repository${node.filter ? '.filtered' : ''}`;
        item.description =
          [node.pinned ? 'pinned' : undefined, node.filter ? `filter: ${node.filter}` : undefined].filter(Boolean).join(' · ') || undefined;
        item.tooltip = node.reference;
        return item;
      }
      case 'tag':
        return this.tagItem(node);
      case 'artifact':
        return this.artifactItem(node);
      case 'file': {
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
        // The same artifact can sit under several tags: ids follow the path through the tree.
        item.id = `${this.idOf(node.parent)}/${node.name}`;
        item.resourceUri = uri;
        item.iconPath = node.isDirectory ? vscode.ThemeIcon.Folder : vscode.ThemeIcon.File;
        item.contextValue = node.isDirectory ? 'folder' : 'file';
        if (!node.isDirectory) item.command = { command: 'vscode.open', title: 'Open', arguments: [uri, { preview: true }] };
        return item;
      }
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

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
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

  /** Tree item ids must be unique, and one artifact can appear under several tags and referrers. */
  private idOf(node: TagNode | ArtifactNode | FileNode): string {
    if (node.kind === 'tag') return `tag:${node.reference}`;
    if (node.kind === 'artifact') return `${this.idOf(node.parent)}>${node.digest}`;
    return `${this.idOf(node.parent)}/${node.name}`;
  }

  private tagItem(node: TagNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.tag, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `tag:${node.reference}`;
    item.contextValue = 'tag';
    item.command = { command: 'ociGitops.showArtifact', title: 'Show Artifact Details', arguments: [node] };
    const summary = node.summary;
    if (summary) {
      item.iconPath = new vscode.ThemeIcon(summary.kind.kind.icon);
      item.description =
        node.signatures && node.signatures.badge !== 'unsigned'
          ? `${BADGE_TEXT[node.signatures.badge]} · ${describe(summary)}`
          : describe(summary);
      item.tooltip = tooltip(node.reference, summary);
      if (node.signatures) (item.tooltip as vscode.MarkdownString).appendText(`\nsignatures: ${node.signatures.summary}`);
    } else if (node.summaryError) {
      item.iconPath = new vscode.ThemeIcon('warning');
      item.description = 'could not be read';
      item.tooltip = (node.summaryError as Error).message;
    } else {
      item.iconPath = new vscode.ThemeIcon('tag');
      item.tooltip = node.reference;
    }
    return item;
  }

  private artifactItem(node: ArtifactNode): vscode.TreeItem {
    const kind = node.summary?.kind.kind ?? node.kindHint ?? recogniseArtifactType(node.descriptor.artifactType);
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `${this.idOf(node.parent)}>${node.digest}`;
    item.iconPath = new vscode.ThemeIcon(node.role === 'platform' ? 'device-desktop' : kind.icon);
    item.description = `${node.badge ? `${BADGE_TEXT[node.badge]} · ` : ''}${node.digest.slice(7, 19)} · ${formatSize(node.descriptor.size)}`;
    item.contextValue = `artifact.${node.role}`;
    item.command = { command: 'ociGitops.showArtifact', title: 'Show Artifact Details', arguments: [node] };
    const md = new vscode.MarkdownString();
    md.appendText(`${kind.label}\n${node.reference}\n${node.descriptor.artifactType ?? node.descriptor.mediaType}`);
    const created = node.descriptor.annotations?.['org.opencontainers.image.created'];
    if (created) md.appendText(`\ncreated ${created}`);
    item.tooltip = md;
    return item;
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
      this.log.warn(`Listing repositories of ${node.entry.host}: ${(node.repositories.error as Error).message}`);
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
    const listing = new TagListing(() => this.client.repository(`${registry.entry.host}/${name}`).tags({ pageSize: 1000 }), pageSize);
    return new RepositoryNode(registry, name, listing, pinned);
  }

  private async tags(node: RepositoryNode): Promise<TreeNode[]> {
    await node.tags.load();
    if (node.tags.error) {
      this.log.warn(`Listing tags of ${node.reference}: ${(node.tags.error as Error).message}`);
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
   * Reads tag manifests in the background, four at a time, and redraws each tag as it arrives. They
   * start a moment after a page of tags is handed to the view, so the page shows first.
   */
  private queueSummary(node: TagNode): void {
    this.pendingSummaries.push(node);
    this.summariesTimer ??= setTimeout(() => {
      this.summariesTimer = undefined;
      this.pumpSummaries();
    }, SUMMARIES_AFTER_MS);
  }

  private pumpSummaries(): void {
    while (this.summariesRunning < 4 && this.pendingSummaries.length > 0) {
      const node = this.pendingSummaries.shift()!;
      this.summariesRunning++;
      this.summaryOf(node)
        .catch((error: unknown) => {
          node.summaryError = error;
        })
        .finally(() => {
          this.summariesRunning--;
          this.changed.fire(node);
          this.pumpSummaries();
        });
    }
  }

  private async artifactChildren(node: TagNode | ArtifactNode): Promise<TreeNode[]> {
    const host = node.repository.registry.entry.host;
    let summary: ArtifactSummary;
    try {
      summary = await this.summaryOf(node);
    } catch (error) {
      return [errorNode(node, host, error)];
    }
    const repo = this.client.repository(node.repository.reference);
    const children: TreeNode[] = [];
    if (isIndex(summary.manifest)) {
      summary.manifest.manifests.forEach((m, i) =>
        children.push(new ArtifactNode(node.repository, node, m, summary.platforms?.[i] ?? m.digest.slice(0, 19), 'platform')),
      );
    } else if (summary.kind.kind.id === 'image') {
      children.push(
        new MessageNode(node, 'Container image: its layers are file systems, not manifests', summary.kind.mediaTypes.join('\n'), 'info'),
      );
    } else if (!summary.kind.kind.accessory) {
      children.push(...(await this.files(node, summary.descriptor.digest, '', node)));
    }
    try {
      for (const referrer of await describeReferrers(repo, summary.descriptor.digest))
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
      // Signature verification (Sigstore, notation) loads with the first tag that has signatures.
      const [{ readSigningSettings }, { loadVerificationTrust }, { loadKeylessTrust }, { signatureStatus }] = await Promise.all([
        import('../signing/signingSettings.js'),
        import('../../signing/trustSources.js'),
        import('../../signing/keyless/keylessTrust.js'),
        import('../../signing/signatureStatus.js'),
      ]);
      const settings = readSigningSettings();
      const trust = loadVerificationTrust({ cosignPublicKeys: settings.cosignPublicKeys, notationTrustFolder: settings.notationTrust });
      if (settings.sigstore.trustedRoot && settings.sigstore.identities.length > 0)
        trust.keyless = loadKeylessTrust(settings.sigstore.trustedRoot, settings.sigstore.identities);
      node.signatures = await signatureStatus(this.client.repository(node.repository.reference), summary.descriptor, trust);
      for (const child of children) if (child.kind === 'artifact') child.badge = node.signatures.byManifest.get(child.digest);
      this.changed.fire(node);
    } catch (error) {
      this.log.warn(`Checking the signatures of ${node.reference}: ${(error as Error).message}`);
    }
  }

  private async files(
    artifact: TagNode | ArtifactNode,
    digest: string,
    path: string,
    parent: TagNode | ArtifactNode | FileNode,
  ): Promise<TreeNode[]> {
    const host = artifact.repository.registry.entry.host;
    try {
      const contents = await this.contents.files(host, artifact.repository.name, digest);
      const prefix = path ? `${path}/` : '';
      const entries = new Map<string, boolean>();
      for (const file of contents.files.keys()) {
        if (!file.startsWith(prefix)) continue;
        const rest = file.slice(prefix.length);
        const slash = rest.indexOf('/');
        if (slash < 0) entries.set(rest, false);
        else entries.set(rest.slice(0, slash), true);
      }
      const nodes: TreeNode[] = [...entries]
        .sort(([a, ad], [b, bd]) => (ad === bd ? a.localeCompare(b) : ad ? -1 : 1))
        .map(([name, isDir]) => new FileNode(artifact, digest, `${prefix}${name}`, isDir, parent));
      if (path === '') {
        for (const skipped of contents.skipped) nodes.push(new MessageNode(parent, `${skipped.path} (skipped)`, skipped.reason, 'warning'));
      }
      return nodes;
    } catch (error) {
      return [errorNode(parent, host, error)];
    }
  }
}

/** How long after a page of tags is listed their manifests start to be read. */
const SUMMARIES_AFTER_MS = 250;

const BADGE_TEXT: Record<ArtifactBadge, string> = {
  verified: '✓ verified',
  invalid: '✗ invalid',
  unverified: 'signed, not verified',
  unsigned: 'unsigned',
};

function describe(summary: ArtifactSummary): string {
  const parts = [summary.headline ?? summary.kind.kind.label];
  parts.push(summary.descriptor.digest.slice(7, 19));
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
