import { formatReference, pinned } from '../../oci';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { isSigningError, loadCosignSigningKey, loadNotationSigningMaterial, signWithCosignKey, signWithNotation } from '../../signing';
import type { RegistryWrites, SigningDeps } from './keyCommands';
import { passwordSecretKey, readSigningSettings } from './signingSettings';
import { referenceToSign, type SignTarget } from './signTarget';
import { failure } from '../commandWrapper/commandFailure';
import { signUnderProgress } from './signUnderProgress';

/**
 * "Sign Artifact…": resolves the reference to its digest once, then signs that digest with every
 * configured method the user picks. The cosign password comes from SecretStorage only if the user
 * chose to remember it; otherwise it is asked each time and dropped afterwards.
 */
export async function signArtifactCommand(deps: SigningDeps & RegistryWrites, target: SignTarget): Promise<void> {
  const chosen = await referenceToSign(target, 'Sign Artifact');
  if (!chosen) return;
  const { input, ref } = chosen;
  const settings = readSigningSettings();
  const methods: Array<vscode.QuickPickItem & { id: 'cosign' | 'notation' }> = [];
  if (settings.cosignKey)
    methods.push({
      id: 'cosign',
      label: 'cosign key',
      description: settings.cosignKey,
      detail: 'Legacy .sig signature and Sigstore bundle: cosign 2 and 3, Flux before and after 1.8',
      picked: true,
    });
  if (settings.notationKey && settings.notationCertificate)
    methods.push({
      id: 'notation',
      label: 'notation certificate',
      description: settings.notationCertificate,
      detail: 'JWS signature envelope: notation verify, Flux provider notation',
      picked: !settings.cosignKey,
    });
  if (methods.length === 0) {
    const choice = await vscode.window.showWarningMessage(
      'No signing key is configured.',
      'Generate Signing Key Pair…',
      'Generate Test Certificate…',
      'Sign Keyless (Sigstore)…',
    );
    if (choice === 'Sign Keyless (Sigstore)…') await vscode.commands.executeCommand('ociGitops.signArtifactKeyless', input);
    if (choice === 'Generate Signing Key Pair…') await vscode.commands.executeCommand('ociGitops.generateKeyPair');
    if (choice === 'Generate Test Certificate…') await vscode.commands.executeCommand('ociGitops.generateTestCertificate');
    return;
  }
  const picked =
    methods.length === 1
      ? methods
      : await vscode.window.showQuickPick(methods, { title: `Sign ${input}`, canPickMany: true, ignoreFocusOut: true });
  if (!picked || picked.length === 0) return;
  const useCosign = picked.some((m) => m.id === 'cosign');
  const useNotation = picked.some((m) => m.id === 'notation');

  try {
    // Keys are loaded (and the password checked) before anything is written to the registry.
    const cosignKey = useCosign && settings.cosignKey ? await loadCosignKey(deps, settings.cosignKey) : undefined;
    if (useCosign && !cosignKey) return;
    const notation =
      useNotation && settings.notationKey && settings.notationCertificate
        ? loadNotationSigningMaterial(
            readFileSync(settings.notationKey, 'utf8'),
            settings.notationKey,
            readFileSync(settings.notationCertificate, 'utf8'),
            settings.notationCertificate,
          )
        : undefined;
    const lines = await signUnderProgress(deps, ref, `Signing ${input}`, async ({ repo, subject, report, signal }) => {
      const out: string[] = [formatReference(pinned(ref, subject.digest))];
      if (cosignKey) {
        report('cosign signature and bundle…');
        const result = await signWithCosignKey(repo, subject, cosignKey, { signal });
        out.push(
          `cosign .sig ${result.signatureTag.tag}: ${result.signatureTag.added ? 'added' : 'already signed by this key'}`,
          `cosign bundle ${result.bundle.digest}: ${result.bundle.added ? 'added' : 'already signed by this key'}`,
        );
      }
      if (notation) {
        report('notation signature…');
        const result = await signWithNotation(repo, subject, notation.key, notation.chain, { signal });
        out.push(`notation ${result.digest}: signed by ${result.signer}`);
      }
      return out;
    });
    deps.log.info(`Signed ${lines.join('; ')}`);
    void vscode.window.showInformationMessage(`Signed ${lines[0]}`);
  } catch (error) {
    if (isSigningError(error, 'WRONG_PASSWORD') && settings.cosignKey)
      await deps.context.secrets.delete(passwordSecretKey(settings.cosignKey));
    throw failure(`Could not sign ${input}`, error);
  }
}

async function loadCosignKey(deps: SigningDeps, keyPath: string) {
  const stored = await deps.context.secrets.get(passwordSecretKey(keyPath));
  const password = stored ?? (await vscode.window.showInputBox({ title: `Password for ${keyPath}`, password: true, ignoreFocusOut: true }));
  if (password === undefined) return undefined;
  return loadCosignSigningKey(readFileSync(keyPath, 'utf8'), password, keyPath);
}
