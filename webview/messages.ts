/** What the extension host sends the artifact panel. Every string in it comes from a registry: untrusted. */
export interface ArtifactView {
  type: 'artifact';
  reference: string;
  pinned: string;
  digest: string;
  mediaType: string;
  artifactType?: string;
  kind: string;
  size: number;
  config?: { mediaType: string; digest: string; size: number };
  annotations: [string, string][];
  layers: { mediaType: string; digest: string; size: number; title?: string }[];
  manifests: { mediaType: string; digest: string; size: number; platform?: string }[];
  referrers: { artifactType: string; digest: string; size: number; kind: string }[];
}

/** The artifact's files, sent once they are unpacked (in memory, by the host). */
export interface FilesView {
  type: 'files';
  files: { path: string; size: number }[];
  skipped: { path: string; reason: string }[];
  error?: string;
}

export interface ErrorView {
  type: 'error';
  message: string;
}

export type PanelMessage = ArtifactView | FilesView | ErrorView;

/** What the panel asks the host to do. */
export type PanelAction = 'copyPinned' | 'copyDigest' | 'openManifest' | 'compare' | 'createFlux' | 'createArgo';

export type PanelRequest =
  { type: 'ready' } | { type: 'action'; action: PanelAction } | { type: 'openFile'; path: string } | { type: 'openExternal'; url: string };
