import * as vscode from 'vscode';
import type { PinnedReference } from '../../oci';
import { withoutTrailingSlashes } from '../../text/trim';

export const OCI_SCHEME = 'oci';

/** An address inside an artifact, pinned by digest so what it shows cannot change under the user. */
export interface ArtifactLocation extends PinnedReference {
  /** File path inside the artifact, "" for its root. */
  path: string;
}

/** `oci://<registry>/<repository>@<digest>/<path>` */
export function artifactUri(location: ArtifactLocation, query = ''): vscode.Uri {
  const path = location.path ? `/${location.path}` : '/';
  return vscode.Uri.from({
    scheme: OCI_SCHEME,
    authority: location.registry,
    path: `/${location.repository}@${location.digest}${path === '/' ? '' : path}`,
    query,
  });
}

export function parseArtifactUri(uri: vscode.Uri): ArtifactLocation {
  const match = /^\/(.+?)@(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})(?:\/(.*))?$/.exec(uri.path);
  if (uri.scheme !== OCI_SCHEME || !match) throw vscode.FileSystemError.FileNotFound(uri);
  return { registry: uri.authority, repository: match[1], digest: match[2], path: withoutTrailingSlashes(match[3] ?? '') };
}
