import * as vscode from 'vscode';
import type { Descriptor, Reference, RepositoryApi } from '../../oci';
import { resolveSubject } from '../../signing';
import type { RegistryWrites } from './keyCommands';

export interface SigningStep {
  repo: RepositoryApi;
  /** The manifest the reference names: what every signature is over. */
  subject: Descriptor;
  report: (message: string) => void;
  signal: AbortSignal;
}

/**
 * Runs one way of signing `ref` under a cancellable progress notification, from the digest it
 * resolves to; a write GitHub refuses for a read-only login is offered write:packages and run
 * again (grantWrite). The explorer is asked to redraw afterwards, so the tag's badge updates.
 */
export async function signUnderProgress<T>(
  deps: RegistryWrites,
  ref: Reference,
  title: string,
  sign: (step: SigningStep) => Promise<T>,
): Promise<T> {
  const run = () =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const repo = deps.client.repository(ref);
      progress.report({ message: 'resolving the digest…' });
      const subject = await resolveSubject(repo, ref, abort.signal);
      return sign({ repo, subject, report: (message) => progress.report({ message }), signal: abort.signal });
    });
  const result = await deps.grantWrite(ref.registry, 'Writing signatures to', run);
  // The explorer owns its refresh command.
  void vscode.commands.executeCommand('ociGitops.refresh').then(undefined, () => undefined);
  return result;
}
