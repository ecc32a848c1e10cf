/** What the extension host sends the artifact panel. Every string in it comes from a registry: untrusted. */
export interface ArtifactView {
  type: 'artifact';
  reference: string;
  pinned: string;
  digest: string;
  mediaType: string;
  artifactType?: string;
  /** The kind's label, and its stable id (as `inspect --json` prints it). */
  kind: string;
  kindId: string;
  /** One line from the kind's facts ("hello 0.2.1 (app 1.4.0)"), when it has one. */
  headline?: string;
  /** The kind's facts as name and text; for an unknown kind, the media types it carries. */
  facts: [string, string][];
  size: number;
  config?: { mediaType: string; digest: string; size: number };
  annotations: [string, string][];
  layers: { mediaType: string; digest: string; size: number; title?: string }[];
  manifests: { mediaType: string; digest: string; size: number; platform?: string }[];
  /** What refers to it; `foundBy` says how (as `inspect --json` does), `how` in words: "referrers API", "referrers fallback tag", "cosign tag". */
  referrers: {
    artifactType: string;
    digest: string;
    size: number;
    kind: string;
    kindId: string;
    label: string;
    foundBy: string;
    how: string;
    tag?: string;
  }[];
  /** Why the referrers could not be listed, when they could not. */
  referrersError?: string;
}

/** The artifact's files, sent once they are unpacked (in memory, by the host). */
export interface FilesView {
  type: 'files';
  files: { path: string; size: number }[];
  skipped: { path: string; reason: string }[];
  error?: string;
}

/** Who in the workspace consumes the artifact's repository, worked out by the host (text only). */
export interface ConsumersView {
  type: 'consumers';
  consumers: { name: string; where: string; pick: string; verdict: string; refuses: boolean; checks: string[] }[];
  /** Why there is no list: no workspace folder, or the engine failed. */
  note?: string;
}

export interface ErrorView {
  type: 'error';
  message: string;
}

export type PanelMessage = ArtifactView | FilesView | ConsumersView | ErrorView;

/** What the panel asks the host to do. */
export type PanelAction = 'copyPinned' | 'copyDigest' | 'openManifest' | 'compare' | 'createFlux' | 'createArgo';

export type PanelRequest =
  | { type: 'ready' }
  | { type: 'action'; action: PanelAction }
  | { type: 'openFile'; path: string }
  | { type: 'openExternal'; url: string }
  /** The consumer at this index of the last ConsumersView: the host opens where it is declared. */
  | { type: 'openConsumer'; index: number };
