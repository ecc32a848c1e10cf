import * as vscode from 'vscode';
import { parseRegistryHost } from '../../oci';
import type { RegistryNode } from '../tree/nodes';
import { askCredential } from './askCredential';
import type { CommandContext } from './context';
import { failure } from '../commandWrapper/commandFailure';

/** Stores credentials in SecretStorage and checks them against the registry. */
export async function signIn(ctx: CommandContext, target: RegistryNode | string | undefined): Promise<void> {
  let host = typeof target === 'string' ? target : target?.entry.host;
  if (!host) {
    const input = await vscode.window.showInputBox({ title: 'Sign In to Registry', prompt: 'Registry host', ignoreFocusOut: true });
    if (!input) return;
    host = parseRegistryHost(input);
  }
  const credential = await askCredential(host);
  if (!credential) return;
  await ctx.secrets.store(host, credential);
  ctx.client.forgetCredentials(host);
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Signing in to ${host}`, cancellable: true },
      (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return ctx.client.registry(host).ping({ signal: abort.signal });
      },
    );
    ctx.log.info(`Signed in to ${host} as ${credential.username}`);
    void vscode.window.showInformationMessage(`Signed in to ${host}.`);
  } catch (error) {
    throw failure(`Sign-in to ${host} failed`, error);
  } finally {
    ctx.tree.refresh();
  }
}

export async function signOut(ctx: CommandContext, node: RegistryNode | undefined): Promise<void> {
  if (!node) return;
  await ctx.secrets.delete(node.entry.host);
  ctx.client.forgetCredentials(node.entry.host);
  ctx.tree.refresh();
  ctx.log.info(`Signed out of ${node.entry.host}`);
}
