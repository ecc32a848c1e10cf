import * as vscode from 'vscode';
import type { Credential } from '../../oci';

/** Asks for a username and a password or token; undefined when the user cancels. */
export async function askCredential(host: string): Promise<Credential | undefined> {
  const username = await vscode.window.showInputBox({
    title: `Sign in to ${host} (1/2)`,
    prompt: 'Username (for GitHub, GitLab and most registries: your account name; for a token-only registry any non-empty name)',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : 'Enter a username'),
  });
  if (username === undefined) return undefined;
  const password = await vscode.window.showInputBox({
    title: `Sign in to ${host} (2/2)`,
    prompt: 'Password or access token (stored in the OS keychain, never in settings)',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value ? undefined : 'Enter a password or token'),
  });
  if (password === undefined) return undefined;
  return { username: username.trim(), password };
}
