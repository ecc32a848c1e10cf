import * as vscode from 'vscode';
import { parseReference, type Reference } from '../../oci';
import { failure } from '../commandWrapper/commandFailure';

/** What a sign command can be invoked with: a tree node with a `reference`, a reference string (after a push), or nothing (palette). */
export type SignTarget = { reference?: unknown } | string | undefined;

/**
 * The reference a sign command works on: the node's or the string it was given, else asked for.
 * Undefined when the user cancels; text that is not a reference fails the command.
 */
export async function referenceToSign(target: SignTarget, title: string): Promise<{ input: string; ref: Reference } | undefined> {
  const given = typeof target === 'string' ? target : typeof target?.reference === 'string' ? target.reference : undefined;
  const input =
    given ??
    (await vscode.window.showInputBox({
      title,
      prompt: 'Reference to sign (registry/repository:tag or @sha256:…); the digest is what gets signed',
      ignoreFocusOut: true,
    }));
  if (!input) return undefined;
  try {
    return { input, ref: parseReference(input) };
  } catch (error) {
    throw failure(`"${input}" is not a reference to sign`, error);
  }
}
