import { isNonportableRefusal } from '../../artifact/portableNames';
import type * as vscode from 'vscode';
import type { ArtifactKind } from '../../artifact/kinds';
import type { ArtifactSummary } from '../../artifact/summary';
import type { ArtifactBadge, ArtifactSignatureStatus } from '../../signing/signatureStatus';
import {
  isOciError,
  parseReference,
  pinned,
  tagged,
  type Descriptor,
  type OciError,
  type Reference,
  type TaggedReference,
  formatReference,
  formatRepository,
} from '../../oci';
import type { RegistryEntry } from '../registrySettings';
import type { PagedList } from './pagedList';
import type { TagListing } from './tagListing';
import { errorMessage } from '../../text/format';

export class RegistryNode {
  readonly kind = 'registry';
  filter = '';
  constructor(
    readonly entry: RegistryEntry,
    readonly signedIn: boolean,
    readonly repositories: PagedList<string>,
  ) {}
}

export class RepositoryNode {
  readonly kind = 'repository';
  /** The tag nodes shown so far, kept across redraws so each tag's manifest is read once. */
  readonly tagNodes = new Map<string, TagNode>();
  private parsed?: Reference;
  constructor(
    readonly registry: RegistryNode,
    readonly name: string,
    readonly tags: TagListing,
    readonly pinned: boolean,
  ) {}
  /**
   * Where the repository is, parsed once, on first use: a name a registry lists that is not a valid
   * repository name then fails where it is used (listing its tags), as an error node under it.
   */
  get ref(): Reference {
    return (this.parsed ??= parseReference(formatRepository(this.location)));
  }
  get filter(): string {
    return this.tags.filter;
  }
  set filter(text: string) {
    this.tags.filter = text;
  }
  /** The host and name as the settings and the registry give them, not normalised (what is shown and copied). */
  get location(): Pick<Reference, 'registry' | 'repository'> {
    return { registry: this.registry.entry.host, repository: this.name };
  }
  /** As shown: host/name. */
  get reference(): string {
    return formatRepository(this.location);
  }
}

/** A tag, described by its artifact once the manifest has been read. */
export class TagNode {
  readonly kind = 'tag';
  summary?: ArtifactSummary;
  /** Signature status, computed when the tag is expanded (it costs a referrers lookup and verification). */
  signatures?: ArtifactSignatureStatus;
  summaryError?: unknown;
  constructor(
    readonly repository: RepositoryNode,
    readonly tag: string,
  ) {}
  get ref(): TaggedReference {
    return tagged(this.repository.ref, this.tag);
  }
  get reference(): string {
    return formatReference(tagged(this.repository.location, this.tag));
  }
  get digest(): string | undefined {
    return this.summary?.descriptor.digest;
  }
}

/** An artifact known by digest: a referrer (signature, SBOM, attestation) or a platform manifest of an index. */
export class ArtifactNode {
  readonly kind = 'artifact';
  summary?: ArtifactSummary;
  /** This referrer's verification badge, when it is a signature of its parent. */
  badge?: ArtifactBadge;
  constructor(
    readonly repository: RepositoryNode,
    readonly parent: TagNode | ArtifactNode,
    readonly descriptor: Descriptor,
    readonly label: string,
    readonly role: 'referrer' | 'platform',
    /** What the artifact is when the descriptor does not say (cosign's legacy tags carry no artifactType). */
    readonly kindHint?: ArtifactKind,
  ) {}
  get digest(): string {
    return this.descriptor.digest;
  }
  get ref(): Reference {
    return pinned(this.repository.ref, this.descriptor.digest);
  }
  get reference(): string {
    return formatReference(pinned(this.repository.location, this.descriptor.digest));
  }
}

/** A file or folder inside an artifact. */
export class FileNode {
  readonly kind = 'file';
  constructor(
    readonly artifact: TagNode | ArtifactNode,
    readonly digest: string,
    readonly path: string,
    readonly isDirectory: boolean,
    readonly parent: TagNode | ArtifactNode | FileNode,
  ) {}
  get name(): string {
    return this.path.split('/').pop() ?? this.path;
  }
}

export class LoadMoreNode {
  readonly kind = 'loadMore';
  /** `description`: how much is shown, when the whole listing is known (e.g. "100 of 10,003"). */
  constructor(
    readonly parent: RegistryNode | RepositoryNode,
    readonly list: { more(): Promise<void> },
    readonly description?: string,
  ) {}
}

/** A message in the tree where something happened: an error, an empty list, a hint. */
export class MessageNode {
  readonly kind = 'message';
  constructor(
    readonly parent: TreeNode | undefined,
    readonly label: string,
    readonly detail: string,
    readonly icon: string,
    readonly command?: vscode.Command,
  ) {}
}

export type TreeNode = RegistryNode | RepositoryNode | TagNode | ArtifactNode | FileNode | LoadMoreNode | MessageNode;

/** Turns a failure into the node that explains it and offers the way out. */
export function errorNode(parent: TreeNode, host: string, error: unknown): MessageNode {
  const retry: vscode.Command = { command: 'ociGitops.refresh', title: 'Retry', arguments: [parent] };
  const message = errorMessage(error);
  if (isOciError(error, 'UNAUTHORIZED')) {
    return new MessageNode(parent, 'Unauthorized — Sign in', message, 'lock', {
      command: 'ociGitops.signIn',
      title: 'Sign In',
      arguments: [host],
    });
  }
  if (isOciError(error, 'CATALOG_UNSUPPORTED')) {
    return new MessageNode(parent, 'This registry does not list its repositories — Add Repository…', message, 'info', {
      command: 'ociGitops.addRepository',
      title: 'Add Repository…',
      arguments: [parent],
    });
  }
  if (isOciError(error, 'DENIED')) return new MessageNode(parent, 'Access denied — Retry', message, 'error', retry);
  if (isOciError(error, 'NETWORK') || isOciError(error, 'TIMEOUT'))
    return new MessageNode(parent, 'Registry unreachable — Retry', message, 'debug-disconnect', retry);
  if (isOciError(error, 'TLS')) return new MessageNode(parent, 'TLS problem — check caFile or insecure', message, 'shield', retry);
  if (isOciError(error, 'NAME_UNKNOWN')) return new MessageNode(parent, 'Repository not found', message, 'warning', retry);
  if (isOciError(error, 'TOO_LARGE')) return new MessageNode(parent, 'Too large to unpack (see the preview limits)', message, 'warning');
  if (isOciError(error, 'DIGEST_MISMATCH')) return new MessageNode(parent, 'Integrity check failed — not shown', message, 'error');
  if (isNonportableRefusal(error)) return new MessageNode(parent, 'Refused: file names that clash on macOS or Windows', message, 'error');
  // Only what a registry sent is refused content; a local folder problem is an ArtifactError and shows as itself.
  if (isOciError(error, 'PROTOCOL')) return new MessageNode(parent, 'Refused: malformed or unsafe content', message, 'error');
  return new MessageNode(parent, `${(error as OciError)?.code ?? 'Error'} — Retry`, message, 'error', retry);
}
