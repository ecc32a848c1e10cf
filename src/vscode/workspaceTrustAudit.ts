import { parse } from 'jsonc-parser';
import * as vscode from 'vscode';
import { noticeIgnored } from './userSettings';

/** The settings read from user settings only (package.json declares them application-scoped). */
export const USER_ONLY_SETTINGS = [
  'ociGitops.signing.cosignKey',
  'ociGitops.signing.cosignPublicKeys',
  'ociGitops.signing.notationKey',
  'ociGitops.signing.notationCertificate',
  'ociGitops.signing.notationTrust',
  'ociGitops.signing.sigstore.fulcioUrl',
  'ociGitops.signing.sigstore.rekorUrl',
  'ociGitops.signing.sigstore.oidcIssuer',
  'ociGitops.signing.sigstore.oidcClientId',
  'ociGitops.signing.sigstore.trustedRoot',
  'ociGitops.signing.sigstore.identities',
  'ociGitops.auth.allowedTokenRealms',
];

/**
 * VS Code drops application-scoped keys from workspace settings before an extension can inspect
 * them, so the user would never learn that a repository tried to set them. This reads the
 * workspace's own settings files (each folder's .vscode/settings.json and a .code-workspace file)
 * and names every trust setting found there, and every registry entry with insecure or caFile.
 */
export async function auditWorkspaceTrustSettings(log: vscode.LogOutputChannel): Promise<void> {
  const sources: { uri: vscode.Uri; settings: (root: unknown) => unknown }[] = (vscode.workspace.workspaceFolders ?? []).map((folder) => ({
    uri: vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json'),
    settings: (root) => root,
  }));
  const file = vscode.workspace.workspaceFile;
  if (file && file.scheme !== 'untitled') sources.push({ uri: file, settings: (root) => (root as { settings?: unknown })?.settings });
  for (const source of sources) {
    let text: string;
    try {
      text = Buffer.from(await vscode.workspace.fs.readFile(source.uri)).toString('utf8');
    } catch {
      continue;
    }
    const settings = source.settings(parse(text, [], { allowTrailingComma: true }));
    if (!settings || typeof settings !== 'object') continue;
    const values = settings as Record<string, unknown>;
    const found = USER_ONLY_SETTINGS.filter((key) => values[key] !== undefined || hasNested(values, key));
    const registries = values['ociGitops.registries'];
    if (Array.isArray(registries)) {
      for (const entry of registries) {
        if (
          entry &&
          typeof entry === 'object' &&
          ((entry as { insecure?: unknown }).insecure !== undefined || (entry as { caFile?: unknown }).caFile !== undefined)
        ) {
          found.push(`insecure/caFile of ${String((entry as { url?: unknown }).url)} in ociGitops.registries`);
        }
      }
    }
    for (const name of found) {
      log.warn(`Ignoring ${name} in ${source.uri.fsPath}: trust settings are read from user settings only`);
      noticeIgnored(name);
    }
  }
}

/** `"ociGitops": { "signing": { … } }` nesting, which settings files also allow. */
function hasNested(values: Record<string, unknown>, key: string): boolean {
  let current: unknown = values;
  for (const part of key.split('.')) {
    if (!current || typeof current !== 'object') return false;
    current = (current as Record<string, unknown>)[part];
  }
  return current !== undefined;
}
