import * as vscode from 'vscode';
import { describeArtifact, factText, FOUND_BY_TEXT, type ArtifactDescription } from '../../artifact/describe';
import { isIndex, pinned as pinnedAt, tagged, type PinnedReference, type Reference, type RepositoryApi } from '../../oci';
import { errorMessage, shortHex } from '../../text/format';
import type { ArtifactView, ConsumersView, FilesView, PanelMessage, PanelRequest } from '../../../webview/messages';
import type { DeclaredAt, ImpactReport } from '../../gitops/impact/contract';
import { consumersView } from '../impact/consumersView';
import { openConsumerYaml } from '../commands/createConsumerYaml';
import type { CompareBase } from '../commands/compareWith';
import type { ArtifactContentCache } from '../fs/ArtifactContentCache';
import { artifactUri } from '../fs/ociUri';
import { webviewHtml } from './html';

/** One panel per pinned artifact: opening the same digest again reveals the existing panel. */
export class ArtifactPanel {
  private static readonly open = new Map<string, ArtifactPanel>();

  static async show(
    extensionUri: vscode.Uri,
    repo: RepositoryApi,
    /** A tag or a digest of `repo`, as the tree node holds it. */
    target: Reference,
    contents: ArtifactContentCache,
    log: vscode.LogOutputChannel,
    compare: (base: CompareBase) => Promise<void>,
    /** The workspace's consumers of this artifact, when the caller can work them out. */
    consumers?: (signal: AbortSignal) => Promise<ImpactReport | undefined>,
  ): Promise<void> {
    const described = await describeArtifact(repo, target);
    const pinned = described.pinned;
    const existing = ArtifactPanel.open.get(pinned);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    if (described.referrersError) log.warn(`Could not list referrers of ${pinned}: ${described.referrersError.message}`);
    const view = toView(described);
    const panel = vscode.window.createWebviewPanel(
      'ociGitops.artifact',
      `${repo.repository.split('/').pop()}${target.digest ? '@' + shortHex(target.digest) : ':' + (target.tag ?? 'latest')}`,
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
      },
    );
    const files = (async (): Promise<FilesView> => {
      if (isIndex(described.manifest))
        return {
          type: 'files',
          files: [],
          skipped: [],
          error: 'An image index has no files of its own; open one of its platform manifests.',
        };
      try {
        const unpacked = await contents.files(pinnedAt(repo, described.descriptor.digest));
        return {
          type: 'files',
          files: [...unpacked.files].map(([path, file]) => ({ path, size: file.size })).sort((a, b) => a.path.localeCompare(b.path)),
          skipped: unpacked.skipped,
        };
      } catch (error) {
        return { type: 'files', files: [], skipped: [], error: errorMessage(error) };
      }
    })();
    const abort = new AbortController();
    panel.onDidDispose(() => abort.abort());
    const impact = consumers ? consumersView(consumers, abort.signal, log) : undefined;
    ArtifactPanel.open.set(
      pinned,
      new ArtifactPanel(
        panel,
        view,
        files,
        impact,
        { ...pinnedAt(repo, described.descriptor.digest), ...(target.digest ? {} : { tag: target.tag }) },
        pinned,
        compare,
      ),
    );
    panel.webview.html = webviewHtml(panel.webview, extensionUri, view.reference);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    view: ArtifactView,
    files: Promise<FilesView>,
    consumers: Promise<{ view: ConsumersView; places: DeclaredAt[] }> | undefined,
    target: PinnedReference,
    pinned: string,
    private readonly compare: (base: CompareBase) => Promise<void>,
  ) {
    panel.onDidDispose(() => ArtifactPanel.open.delete(pinned));
    panel.webview.onDidReceiveMessage(async (message: PanelRequest) => {
      switch (message?.type) {
        case 'ready':
          await panel.webview.postMessage(view satisfies PanelMessage);
          await panel.webview.postMessage((await files) satisfies PanelMessage);
          if (consumers) await panel.webview.postMessage((await consumers).view satisfies PanelMessage);
          break;
        case 'openConsumer': {
          // The webview names an index, never a path: only a place the host itself found is opened.
          const place = consumers && Number.isInteger(message.index) ? (await consumers).places[message.index] : undefined;
          if (place) {
            const position = new vscode.Position(Math.max(0, place.line - 1), 0);
            await vscode.window.showTextDocument(vscode.Uri.file(place.file), { selection: new vscode.Range(position, position) });
          }
          break;
        }
        case 'openFile':
          if (typeof message.path === 'string')
            await vscode.commands.executeCommand('vscode.open', artifactUri({ ...target, path: message.path }), { preview: true });
          break;
        case 'action':
          await this.act(message.action, target);
          break;
        case 'openExternal':
          // Only http(s) links from annotations, and only after the user clicked them.
          if (/^https?:\/\//i.test(String(message.url))) void vscode.env.openExternal(vscode.Uri.parse(String(message.url)));
          break;
      }
    });
  }

  private async act(action: string, target: PinnedReference): Promise<void> {
    // The panel's buttons run the same commands as the Registries view, so a failure is reported one way.
    const artifact = pinnedAt(target, target.digest);
    switch (action) {
      case 'copyPinned':
        await vscode.commands.executeCommand('ociGitops.copyPinnedReference', artifact);
        break;
      case 'copyDigest':
        await vscode.commands.executeCommand('ociGitops.copyDigest', artifact);
        break;
      case 'openManifest':
        await vscode.commands.executeCommand('ociGitops.openManifest', artifact);
        break;
      case 'compare':
        await this.compare(target.tag ? tagged(target, target.tag) : artifact);
        break;
      case 'createFlux':
      case 'createArgo':
        await openConsumerYaml(
          action === 'createFlux' ? 'flux' : 'argo',
          { registry: target.registry, repository: target.repository, tag: target.tag },
          target.digest,
        );
        break;
    }
  }
}

function toView(described: ArtifactDescription): ArtifactView {
  const manifest = described.manifest;
  const kind = described.kind.kind;
  return {
    type: 'artifact',
    reference: described.reference,
    pinned: described.pinned,
    digest: described.descriptor.digest,
    mediaType: described.descriptor.mediaType,
    artifactType: manifest.artifactType,
    kind: kind.label,
    kindId: kind.id,
    headline: described.headline,
    facts:
      kind.id === 'unknown'
        ? [['Media types', described.kind.mediaTypes.join(', ')]]
        : Object.entries(described.facts)
            .filter(([, value]) => value !== undefined)
            .map(([name, value]) => [name, factText(value)]),
    size: described.descriptor.size,
    config: isIndex(manifest)
      ? undefined
      : { mediaType: manifest.config.mediaType, digest: manifest.config.digest, size: manifest.config.size },
    annotations: Object.entries(manifest.annotations ?? {}).sort(([a], [b]) => a.localeCompare(b)),
    layers: isIndex(manifest)
      ? []
      : manifest.layers.map((l) => ({
          mediaType: l.mediaType,
          digest: l.digest,
          size: l.size,
          title: l.annotations?.['org.opencontainers.image.title'],
        })),
    manifests: isIndex(manifest)
      ? manifest.manifests.map((m, i) => ({ mediaType: m.mediaType, digest: m.digest, size: m.size, platform: described.platforms?.[i] }))
      : [],
    referrers: described.referrers.map((r) => ({
      artifactType: r.descriptor.artifactType ?? r.descriptor.mediaType,
      digest: r.descriptor.digest,
      size: r.descriptor.size,
      kind: r.kind.label,
      kindId: r.kind.id,
      label: r.label,
      foundBy: r.foundBy,
      how: FOUND_BY_TEXT[r.foundBy],
      tag: r.tag,
    })),
    referrersError: described.referrersError?.message,
  };
}
