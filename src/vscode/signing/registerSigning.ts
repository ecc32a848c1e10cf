import type * as vscode from 'vscode';
import { registerCommand } from '../commandWrapper/registerCommand';
import { generateKeyPairCommand, generateTestCertificateCommand, type RegistryWrites } from './keyCommands';
import { signArtifactCommand } from './signArtifactCommand';
import { signKeylessCommand } from './signKeylessCommand';

/**
 * The editor side of signing, registered by the extension in one call. The commands are thin: all
 * formats, keys and checks live in src/signing (which never imports vscode).
 *   ociGitops.generateKeyPair          Generate Signing Key Pair…
 *   ociGitops.generateTestCertificate  Generate Test Certificate…
 *   ociGitops.signArtifact             Sign Artifact…  (tree node with `reference`, a reference string, or palette)
 *   ociGitops.signArtifactKeyless      Sign Artifact Keyless (Sigstore)…
 */
export function registerSigning(context: vscode.ExtensionContext, deps: RegistryWrites & { log: vscode.LogOutputChannel }): void {
  const base = { context, log: deps.log };
  context.subscriptions.push(
    registerCommand('ociGitops.generateKeyPair', () => generateKeyPairCommand(base), deps.log),
    registerCommand('ociGitops.generateTestCertificate', () => generateTestCertificateCommand(base), deps.log),
    registerCommand(
      'ociGitops.signArtifact',
      (target?: { reference?: unknown } | string) =>
        signArtifactCommand({ ...base, client: deps.client, grantWrite: deps.grantWrite }, target),
      deps.log,
    ),
    registerCommand(
      'ociGitops.signArtifactKeyless',
      (target?: { reference?: unknown } | string) =>
        signKeylessCommand({ ...base, client: deps.client, grantWrite: deps.grantWrite }, target),
      deps.log,
    ),
  );
  // The workspace's trust settings are audited at activation (extension.ts): signing loads only when first used.
}
