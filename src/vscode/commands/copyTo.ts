import * as vscode from 'vscode';
import { parseRegistryHost, tagged, validateRepository, validateTag, formatReference, formatRepository } from '../../oci';
import type { RegistryNode, RepositoryNode, TagNode, TreeNode } from '../tree/nodes';
import type { CommandContext } from './context';
import { runCopy } from './copyFlow';
import { inputCheck } from './inputCheck';

type RegistryPick = vscode.QuickPickItem & { host?: string };
type RepositoryPick = vscode.QuickPickItem & { repository?: string };

/**
 * "Copy To…" on a tag, or tags dropped on a repository or registry (tree/copyDragAndDrop.ts: then
 * that much of the destination is chosen): asks the registry, the repository (one it lists, or a
 * new name) and the tag (the same by default), then hands over to the shared copy flow.
 */
export async function copyTo(ctx: CommandContext, node: TagNode | TreeNode[] | undefined, droppedOn?: TreeNode): Promise<void> {
  if (Array.isArray(node)) {
    // Dropped: a tag dropped on a tag goes to that tag's repository; on anything else, nowhere.
    const dropped = droppedOn?.kind === 'tag' ? droppedOn.repository : droppedOn;
    if (dropped?.kind !== 'registry' && dropped?.kind !== 'repository') return;
    for (const tag of node) if (tag.kind === 'tag') await copyTagTo(ctx, tag, dropped);
    return;
  }
  if (node?.kind === 'tag') await copyTagTo(ctx, node);
}

async function copyTagTo(ctx: CommandContext, node: TagNode, dropped?: RegistryNode | RepositoryNode): Promise<void> {
  const source = node.ref;
  const registry = dropped ? registryOf(dropped) : await pickRegistry(ctx, source);
  if (!registry) return;
  const host = typeof registry === 'string' ? registry : registry.entry.host;
  const repository =
    dropped?.kind === 'repository'
      ? dropped.name
      : await pickRepository(ctx, typeof registry === 'string' ? undefined : registry, host, source);
  if (!repository) return;
  const tag = await vscode.window.showInputBox({
    title: `Copy ${formatReference(tagged(source, source.tag))} to ${formatRepository({ registry: host, repository })}: tag`,
    prompt: 'The tag to set at the destination (the same tag by default)',
    value: source.tag,
    ignoreFocusOut: true,
    validateInput: inputCheck(validateTag),
  });
  if (!tag) return;
  await runCopy(ctx, {
    source,
    destination: tagged({ registry: host, repository }, tag.trim()),
    referrers: true,
    verb: 'Copy',
  });
}

function registryOf(node: RegistryNode | RepositoryNode): RegistryNode {
  return node.kind === 'registry' ? node : node.registry;
}

/** The destination registry: one in the view, or a host typed in. Copy Repository To… asks the same way. */
export async function pickRegistry(
  ctx: CommandContext,
  source: { registry: string },
  title = 'Copy To… (1/3): registry',
): Promise<RegistryNode | string | undefined> {
  const roots = (await ctx.tree.getChildren()).filter((n): n is RegistryNode => n.kind === 'registry');
  const other: RegistryPick = { label: '$(add) Another registry…', alwaysShow: true };
  const picks: RegistryPick[] = [
    ...roots.map((r) => ({
      label: r.entry.label ?? r.entry.host,
      description: [r.entry.label ? r.entry.host : undefined, r.entry.host === source.registry ? 'the source registry' : undefined]
        .filter(Boolean)
        .join(' · '),
      host: r.entry.host,
    })),
    other,
  ];
  const picked = await vscode.window.showQuickPick(picks, { title, ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.host) return roots.find((r) => r.entry.host === picked.host);
  const typed = await vscode.window.showInputBox({
    title: 'Copy To…: registry',
    prompt: 'Registry host, e.g. registry.example.com or localhost:5000 (sign in first if it needs a login)',
    ignoreFocusOut: true,
    validateInput: inputCheck(parseRegistryHost),
  });
  return typed ? parseRegistryHost(typed.trim()) : undefined;
}

/** The destination repository at `host`: one it lists, the source's name, or a new one. */
export async function pickRepository(
  ctx: CommandContext,
  registry: RegistryNode | undefined,
  host: string,
  source: { repository: string },
  title = `Copy To… (2/3): repository at ${host}`,
): Promise<string | undefined> {
  // What the registry lists (as far as the view has loaded it); a registry that lists nothing still takes a typed name.
  let listed: string[] = [];
  if (registry) {
    const children: TreeNode[] = await ctx.tree.getChildren(registry).catch(() => []);
    listed = children.filter((n): n is RepositoryNode => n.kind === 'repository').map((n) => n.name);
  }
  const same: RepositoryPick = {
    label: source.repository,
    description: listed.includes(source.repository) ? 'same name as the source' : 'same name as the source (new repository)',
    repository: source.repository,
  };
  const picks: RepositoryPick[] = [
    same,
    ...listed.filter((name) => name !== source.repository).map((name) => ({ label: name, repository: name })),
    { label: '$(add) New repository…', alwaysShow: true },
  ];
  const picked = await vscode.window.showQuickPick(picks, { title, ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.repository) return picked.repository;
  const typed = await vscode.window.showInputBox({
    title: `Copy To…: new repository at ${host}`,
    prompt: 'Repository path, e.g. team/apps/web (lowercase letters, digits, separators)',
    value: source.repository,
    ignoreFocusOut: true,
    validateInput: inputCheck(validateRepository),
  });
  return typed?.trim() || undefined;
}
