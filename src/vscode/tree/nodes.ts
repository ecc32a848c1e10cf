import * as vscode from 'vscode';
import { isOciError, type OciError } from '../../oci';
import type { RegistryEntry } from '../registrySettings';
import { PagedList } from './pagedList';

export class RegistryNode {
  readonly kind = 'registry';
  constructor(readonly entry: RegistryEntry, readonly signedIn: boolean, readonly repositories: PagedList<string>) {}
}

export class RepositoryNode {
  readonly kind = 'repository';
  constructor(readonly registry: RegistryNode, readonly name: string, readonly tags: PagedList<string>, readonly pinned: boolean) {}
  get reference(): string {
    return `${this.registry.entry.host}/${this.name}`;
  }
}

export class TagNode {
  readonly kind = 'tag';
  constructor(readonly repository: RepositoryNode, readonly tag: string) {}
  get reference(): string {
    return `${this.repository.reference}:${this.tag}`;
  }
}

export class LoadMoreNode {
  readonly kind = 'loadMore';
  constructor(readonly parent: RegistryNode | RepositoryNode, readonly list: PagedList<string>) {}
}

/** A message in the tree where something happened: an error, an empty list, a hint. */
export class MessageNode {
  readonly kind = 'message';
  constructor(readonly parent: TreeNode | undefined, readonly label: string, readonly detail: string, readonly icon: string, readonly command?: vscode.Command) {}
}

export type TreeNode = RegistryNode | RepositoryNode | TagNode | LoadMoreNode | MessageNode;

/** Turns a failure into the node that explains it and offers the way out. */
export function errorNode(parent: RegistryNode | RepositoryNode, error: unknown): MessageNode {
  const host = parent.kind === 'registry' ? parent.entry.host : parent.registry.entry.host;
  const retry: vscode.Command = { command: 'ociGitops.refresh', title: 'Retry', arguments: [parent] };
  const message = error instanceof Error ? error.message : String(error);
  if (isOciError(error, 'UNAUTHORIZED')) {
    return new MessageNode(parent, 'Unauthorized — Sign in', message, 'lock', { command: 'ociGitops.signIn', title: 'Sign In', arguments: [host] });
  }
  if (isOciError(error, 'CATALOG_UNSUPPORTED')) {
    return new MessageNode(parent, 'This registry does not list its repositories; add them by name in the settings', message, 'info');
  }
  if (isOciError(error, 'DENIED')) return new MessageNode(parent, 'Access denied — Retry', message, 'error', retry);
  if (isOciError(error, 'NETWORK') || isOciError(error, 'TIMEOUT')) return new MessageNode(parent, 'Registry unreachable — Retry', message, 'debug-disconnect', retry);
  if (isOciError(error, 'TLS')) return new MessageNode(parent, 'TLS problem — check caFile or insecure', message, 'shield', retry);
  if (isOciError(error, 'NAME_UNKNOWN')) return new MessageNode(parent, 'Repository not found', message, 'warning', retry);
  return new MessageNode(parent, `${(error as OciError)?.code ?? 'Error'} — Retry`, message, 'error', retry);
}
