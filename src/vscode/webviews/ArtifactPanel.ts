import * as vscode from 'vscode';
import { recognise } from '../../artifact/kind';
import { isIndex, type FetchedManifest, type RepositoryApi } from '../../oci';
import type { ArtifactView, PanelMessage, PanelRequest } from '../../../webview/messages';
import { webviewHtml } from './html';

/** One panel per pinned artifact: opening the same digest again reveals the existing panel. */
export class ArtifactPanel {
  private static readonly open = new Map<string, ArtifactPanel>();

  static async show(extensionUri: vscode.Uri, repo: RepositoryApi, reference: string, log: vscode.LogOutputChannel): Promise<void> {
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
    const view = toView(`${repo.registry}/${repo.repository}${reference.includes(':') ? '@' : ':'}${reference}`, pinned, fetched, referrers);
    const panel = vscode.window.createWebviewPanel('ociGitops.artifact', `${repo.repository.split('/').pop()}${reference.includes(':') ? '@' + reference.slice(7, 19) : ':' + reference}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
    });
    ArtifactPanel.open.set(pinned, new ArtifactPanel(panel, view, pinned));
    panel.webview.html = webviewHtml(panel.webview, extensionUri, view.reference);
  }

  private constructor(private readonly panel: vscode.WebviewPanel, view: ArtifactView, pinned: string) {
    panel.onDidDispose(() => ArtifactPanel.open.delete(pinned));
    panel.webview.onDidReceiveMessage((message: PanelRequest) => {
      switch (message?.type) {
        case 'ready':
          void panel.webview.postMessage(view satisfies PanelMessage);
          break;
        case 'copy':
          void vscode.env.clipboard.writeText(String(message.text));
          vscode.window.setStatusBarMessage('Copied pinned reference', 3000);
          break;
        case 'openExternal':
          // Only http(s) links from annotations, and only after the user clicked them.
          if (/^https?:\/\//i.test(String(message.url))) void vscode.env.openExternal(vscode.Uri.parse(String(message.url)));
          break;
      }
    });
  }
}

function toView(reference: string, pinned: string, fetched: FetchedManifest, referrers: { artifactType?: string; mediaType: string; digest: string; size: number }[]): ArtifactView {
  const manifest = fetched.manifest;
  const kind = recognise(manifest, fetched.descriptor);
  return {
    type: 'artifact',
    reference,
    pinned,
    digest: fetched.descriptor.digest,
    mediaType: fetched.descriptor.mediaType,
    artifactType: manifest.artifactType,
    kind: kind.label,
    size: fetched.descriptor.size,
    config: isIndex(manifest) ? undefined : { mediaType: manifest.config.mediaType, digest: manifest.config.digest, size: manifest.config.size },
    annotations: Object.entries(manifest.annotations ?? {}).sort(([a], [b]) => a.localeCompare(b)),
    layers: isIndex(manifest) ? [] : manifest.layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size, title: l.annotations?.['org.opencontainers.image.title'] })),
    manifests: isIndex(manifest) ? manifest.manifests.map((m) => ({ mediaType: m.mediaType, digest: m.digest, size: m.size, platform: m.platform ? `${m.platform.os}/${m.platform.architecture}${m.platform.variant ? '/' + m.platform.variant : ''}` : m.artifactType })) : [],
    referrers: referrers.map((r) => ({ artifactType: r.artifactType ?? r.mediaType, digest: r.digest, size: r.size, kind: r.artifactType ? kindOfType(r.artifactType) : 'Unknown' })),
  };
}

function kindOfType(artifactType: string): string {
  return recognise({ schemaVersion: 2, artifactType, config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: '', size: 2 }, layers: [] }).label;
}
