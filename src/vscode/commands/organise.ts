import * as vscode from 'vscode';
import { parseRegistryHost, validateRepository } from '../../oci';
import { configuredRegistries, saveRegistries } from '../registrySettings';
import type { RegistryNode, RepositoryNode } from '../tree/nodes';
import type { CommandContext } from './context';
import { inputCheck } from './inputCheck';

/** Pins a repository under a registry (for registries that do not list theirs: GHCR, Docker Hub, ECR). */
export async function addRepository(ctx: CommandContext, node: RegistryNode | undefined): Promise<void> {
  if (!node) return;
  const name = await vscode.window.showInputBox({
    title: `Add Repository to ${node.entry.host}`,
    prompt: 'Repository name, e.g. org/app (it is remembered for this registry)',
    ignoreFocusOut: true,
    validateInput: inputCheck(validateRepository),
  });
  if (!name) return;
  const registries = configuredRegistries();
  const index = registries.findIndex((r) => safeHost(r.url) === node.entry.host);
  if (index < 0) registries.push({ url: node.entry.host, repositories: [name.trim()] });
  else registries[index] = { ...registries[index], repositories: [...new Set([...(registries[index].repositories ?? []), name.trim()])] };
  await saveRegistries(registries);
  ctx.tree.refresh();
}

/** Label, plain HTTP and CA file of a registry (no credentials: those go through Sign In). */
export async function editRegistry(ctx: CommandContext, node: RegistryNode | undefined): Promise<void> {
  if (!node) return;
  const registries = configuredRegistries();
  let index = registries.findIndex((r) => safeHost(r.url) === node.entry.host);
  if (index < 0) {
    registries.push({ url: node.entry.host });
    index = registries.length - 1;
  }
  const current = registries[index];
  const field = await vscode.window.showQuickPick(
    [
      { label: 'Label', description: current.label ?? '(none)', key: 'label' as const },
      {
        label: current.insecure ? 'Require TLS' : 'Allow plain HTTP',
        description: 'only for registries on a trusted network',
        key: 'insecure' as const,
      },
      { label: 'CA file…', description: current.caFile ?? '(system CAs only)', key: 'caFile' as const },
    ],
    { title: `Edit ${node.entry.host}` },
  );
  if (!field) return;
  if (field.key === 'label') {
    const label = await vscode.window.showInputBox({ title: `Label for ${node.entry.host}`, value: current.label ?? '' });
    if (label === undefined) return;
    registries[index] = { ...current, label: label.trim() || undefined };
  } else if (field.key === 'insecure') {
    registries[index] = { ...current, insecure: !current.insecure || undefined };
  } else {
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: true,
      canSelectMany: false,
      filters: { 'PEM certificates': ['pem', 'crt', 'cer'] },
      openLabel: 'Trust This CA',
    });
    if (!picked) return;
    registries[index] = { ...current, caFile: picked[0].fsPath };
  }
  await saveRegistries(registries);
  ctx.log.info(`Edited registry ${node.entry.host}`);
  ctx.tree.refresh();
}

export async function filterNode(ctx: CommandContext, node: RegistryNode | RepositoryNode | undefined): Promise<void> {
  if (!node) return;
  const filter = await vscode.window.showInputBox({
    title: node.kind === 'registry' ? `Filter repositories of ${node.entry.host}` : `Filter tags of ${node.reference}`,
    prompt:
      node.kind === 'registry'
        ? 'Show only repositories whose name contains this text (empty to clear). Applies to the pages loaded; use "Load more…" for further pages.'
        : 'Show only tags containing this text (empty to clear). Searches every tag of the repository, newest first.',
    value: node.filter,
  });
  if (filter === undefined) return;
  ctx.tree.setFilter(node, filter.trim());
}

function safeHost(url: string): string | undefined {
  try {
    return parseRegistryHost(url);
  } catch {
    return undefined;
  }
}
