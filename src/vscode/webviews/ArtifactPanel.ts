import * as vscode from 'vscode';
import { recognise, recogniseArtifactType } from '../../artifact/kinds';
import { isIndex, type FetchedManifest, type RepositoryApi } from '../../oci';
import type { ArtifactView, FilesView, PanelMessage, PanelRequest } from '../../../webview/messages';
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
    reference: string,
    contents: ArtifactContentCache,
    log: vscode.LogOutputChannel,
    compare: (base: CompareBase) => Promise<void>,
  ): Promise<void> {
    const fetched = await repo.fetchManifest(reference);
    const pinned = `${repo.registry}/${repo.repository}@${fetched.descriptor.digest}`;
    const existing = ArtifactPanel.open.get(pinned);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    const referrers = await repo.referrers(fetched.descriptor.digest).catch((error: Error) => {
      log.warn(`Could not list referrers of ${pinned}: ${error.message}`);
      return [];
    });
    const isDigest = reference.includes(':');
    const view = toView(`${repo.registry}/${repo.repository}${isDigest ? '@' : ':'}${reference}`, pinned, fetched, referrers);
    const panel = vscode.window.createWebviewPanel(
      'ociGitops.artifact',
      `${repo.repository.split('/').pop()}${isDigest ? '@' + reference.slice(7, 19) : ':' + reference}`,
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
      },
    );
    const files = (async (): Promise<FilesView> => {
      if (isIndex(fetched.manifest))
        return {
          type: 'files',
          files: [],
          skipped: [],
          error: 'An image index has no files of its own; open one of its platform manifests.',
        };
      try {
        const unpacked = await contents.files(repo.registry, repo.repository, fetched.descriptor.digest);
        return {
          type: 'files',
          files: [...unpacked.files].map(([path, file]) => ({ path, size: file.size })).sort((a, b) => a.path.localeCompare(b.path)),
          skipped: unpacked.skipped,
        };
      } catch (error) {
        return { type: 'files', files: [], skipped: [], error: (error as Error).message };
      }
    })();
    ArtifactPanel.open.set(
      pinned,
      new ArtifactPanel(
        panel,
        view,
        files,
        { registry: repo.registry, repository: repo.repository, digest: fetched.descriptor.digest, tag: isDigest ? undefined : reference },
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
    target: { registry: string; repository: string; digest: string; tag?: string },
    pinned: string,
    private readonly compare: (base: CompareBase) => Promise<void>,
  ) {
    panel.onDidDispose(() => ArtifactPanel.open.delete(pinned));
    panel.webview.onDidReceiveMessage(async (message: PanelRequest) => {
      switch (message?.type) {
        case 'ready':
          await panel.webview.postMessage(view satisfies PanelMessage);
          await panel.webview.postMessage((await files) satisfies PanelMessage);
          break;
        case 'openFile':
          if (typeof message.path === 'string')
            await vscode.commands.executeCommand('vscode.open', artifactUri({ ...target, path: message.path }), { preview: true });
          break;
        case 'action':
          await this.act(message.action, target, pinned);
          break;
        case 'openExternal':
          // Only http(s) links from annotations, and only after the user clicked them.
          if (/^https?:\/\//i.test(String(message.url))) void vscode.env.openExternal(vscode.Uri.parse(String(message.url)));
          break;
      }
    });
  }

  private async act(
    action: string,
    target: { registry: string; repository: string; digest: string; tag?: string },
    pinned: string,
  ): Promise<void> {
    switch (action) {
      case 'copyPinned':
        await vscode.env.clipboard.writeText(pinned);
        vscode.window.setStatusBarMessage(`Copied ${pinned}`, 3000);
        break;
      case 'copyDigest':
        await vscode.env.clipboard.writeText(target.digest);
        vscode.window.setStatusBarMessage(`Copied ${target.digest}`, 3000);
        break;
      case 'openManifest': {
        const document = await vscode.workspace.openTextDocument(artifactUri({ ...target, path: 'manifest.json' }, 'view=manifest'));
        await vscode.languages.setTextDocumentLanguage(document, 'json');
        await vscode.window.showTextDocument(document, { preview: true });
        break;
      }
      case 'compare':
        await this.compare(
          target.tag
            ? { registry: target.registry, repository: target.repository, tag: target.tag }
            : { registry: target.registry, repository: target.repository, digest: target.digest },
        );
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

function toView(
  reference: string,
  pinned: string,
  fetched: FetchedManifest,
  referrers: { artifactType?: string; mediaType: string; digest: string; size: number }[],
): ArtifactView {
  const manifest = fetched.manifest;
  const kind = recognise(manifest, fetched.descriptor);
  return {
    type: 'artifact',
    reference,
    pinned,
    digest: fetched.descriptor.digest,
    mediaType: fetched.descriptor.mediaType,
    artifactType: manifest.artifactType,
    kind: kind.kind.label,
    size: fetched.descriptor.size,
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
      ? manifest.manifests.map((m) => ({
          mediaType: m.mediaType,
          digest: m.digest,
          size: m.size,
          platform: m.platform
            ? `${m.platform.os}/${m.platform.architecture}${m.platform.variant ? '/' + m.platform.variant : ''}`
            : m.artifactType,
        }))
      : [],
    referrers: referrers.map((r) => ({
      artifactType: r.artifactType ?? r.mediaType,
      digest: r.digest,
      size: r.size,
      kind: r.artifactType ? kindOfType(r.artifactType) : 'Unknown',
    })),
  };
}

function kindOfType(artifactType: string): string {
  return recogniseArtifactType(artifactType).label;
}
