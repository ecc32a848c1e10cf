import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { userValue } from '../userSettings';

/**
 * Signing settings hold file paths only, never keys or passwords:
 *   ociGitops.signing.cosignKey            path of cosign.key used by Sign Artifact…
 *   ociGitops.signing.cosignPublicKeys     cosign.pub paths the explorer verifies with
 *   ociGitops.signing.notationKey          PEM key of the notation signing certificate
 *   ociGitops.signing.notationCertificate  PEM chain, signing certificate first
 *   ociGitops.signing.notationTrust        trust folder (trustpolicy.json + certificates)
 *   ociGitops.signing.sigstore.*           keyless: Fulcio, Rekor and OIDC addresses; for
 *                                          verification a trusted_root.json and the identities
 */
const SECTION = 'ociGitops.signing';

export interface SigningSettings {
  cosignKey?: string;
  cosignPublicKeys: string[];
  notationKey?: string;
  notationCertificate?: string;
  notationTrust?: string;
  sigstore: {
    fulcioUrl?: string;
    rekorUrl?: string;
    oidcIssuer?: string;
    oidcClientId?: string;
    trustedRoot?: string;
    identities: { issuer: string; subject: string }[];
  };
}

/** Every signing setting is trust or an endpoint: read from the user's settings only (see userSettings). */
export function readSigningSettings(): SigningSettings {
  const text = (name: string) => {
    const value = userValue<unknown>(SECTION, name);
    return typeof value === 'string' && value ? value : undefined;
  };
  const list = <T>(name: string): T[] => {
    const value = userValue<unknown>(SECTION, name);
    return Array.isArray(value) ? (value as T[]) : [];
  };
  const path = (name: string) => resolvePath(text(name));
  return {
    cosignKey: path('cosignKey'),
    cosignPublicKeys: list<unknown>('cosignPublicKeys')
      .map((p) => (typeof p === 'string' ? resolvePath(p) : undefined))
      .filter((p): p is string => Boolean(p)),
    notationKey: path('notationKey'),
    notationCertificate: path('notationCertificate'),
    notationTrust: path('notationTrust'),
    sigstore: {
      fulcioUrl: text('sigstore.fulcioUrl'),
      rekorUrl: text('sigstore.rekorUrl'),
      oidcIssuer: text('sigstore.oidcIssuer'),
      oidcClientId: text('sigstore.oidcClientId'),
      trustedRoot: path('sigstore.trustedRoot'),
      identities: list<{ issuer?: unknown; subject?: unknown }>('sigstore.identities').filter(
        (i): i is { issuer: string; subject: string } => typeof i?.issuer === 'string' && typeof i?.subject === 'string',
      ),
    },
  };
}

/** Written to the user's settings: the only place they are read from. */
export async function updateSigningSettings(values: Partial<Omit<SigningSettings, 'sigstore'>>): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  for (const [name, value] of Object.entries(values)) await config.update(name, value, vscode.ConfigurationTarget.Global);
}

/** Relative paths are relative to the first workspace folder; `~` is the home folder. */
function resolvePath(path: string | undefined): string | undefined {
  if (!path) return undefined;
  if (path.startsWith('~/')) return vscode.Uri.joinPath(vscode.Uri.file(homedir()), path.slice(2)).fsPath;
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  return root && !/^([A-Za-z]:)?[\\/]/.test(path) ? vscode.Uri.joinPath(root, path).fsPath : path;
}

/** SecretStorage key for a remembered cosign key password (only when the user asked). */
export function passwordSecretKey(keyPath: string): string {
  return `${SECTION}.cosignPassword:${keyPath}`;
}
