import * as vscode from 'vscode';
import { parseRegistryHost } from '../../oci';
import { configuredRegistries, saveRegistries } from '../registrySettings';
import type { RegistryNode } from '../tree/nodes';
import type { CommandContext } from './context';

export async function removeRegistry(ctx: CommandContext, node: RegistryNode | undefined): Promise<void> {
  if (!node) return;
  const host = node.entry.host;
  const answer = await vscode.window.showWarningMessage(
    `Remove ${host} from the Registries view?`,
    { modal: true, detail: 'Its stored credentials are deleted too. Nothing in the registry changes.' },
    'Remove',
  );
  if (answer !== 'Remove') return;
  await saveRegistries(
    configuredRegistries().filter((r) => {
      try {
        return parseRegistryHost(r.url) !== host;
      } catch {
        return true;
      }
    }),
  );
  await ctx.secrets.delete(host);
  ctx.client.forgetCredentials(host);
  ctx.tree.refresh();
  ctx.log.info(`Removed registry ${host}`);
}
