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

export interface ErrorView {
  type: 'error';
  message: string;
}

export type PanelMessage = ArtifactView | ErrorView;

/** What the panel asks the host to do. */
export type PanelRequest = { type: 'ready' } | { type: 'copy'; text: string } | { type: 'openExternal'; url: string };
