import { formatReference, pinned } from '../../oci';
import * as vscode from 'vscode';
import { getIdentityTokenInteractively, signKeyless, tokenIdentity } from '../../signing';
import type { RegistryWrites, SigningDeps } from './keyCommands';
import { readSigningSettings } from './signingSettings';
import { referenceToSign, type SignTarget } from './signTarget';
import { failure } from '../commandWrapper/commandFailure';
import { signUnderProgress } from './signUnderProgress';

/**
 * "Sign Artifact Keyless (Sigstore)…": the user signs in with their identity provider in the
 * browser (cosign's flow), Fulcio certifies a key that lives only in memory for this one signature,
 * and Rekor records it. The identity token stays in memory; it is never stored or logged.
 */
export async function signKeylessCommand(deps: SigningDeps & RegistryWrites, target: SignTarget): Promise<void> {
  const chosen = await referenceToSign(target, 'Sign Artifact Keyless (Sigstore)');
  if (!chosen) return;
  const { input, ref } = chosen;
  const { sigstore } = readSigningSettings();
  const fulcio = sigstore.fulcioUrl ?? 'https://fulcio.sigstore.dev';
  const consent = await vscode.window.showInformationMessage(
    `Sign ${input} keyless with Sigstore?`,
    {
      modal: true,
      detail: `You sign in with ${sigstore.oidcIssuer ?? 'Sigstore (GitHub, Google or Microsoft)'} in the browser. Your identity (e-mail or account) is written into the signing certificate from ${fulcio} and recorded in the public transparency log ${sigstore.rekorUrl ?? 'https://rekor.sigstore.dev'}.`,
    },
    'Sign In and Sign',
  );
  if (consent !== 'Sign In and Sign') return;
  try {
    const result = await signUnderProgress(deps, ref, `Signing ${input} keyless`, async ({ repo, subject, report, signal }) => {
      report('waiting for the sign-in in the browser…');
      const identityToken = await getIdentityTokenInteractively({
        ...(sigstore.oidcIssuer ? { issuer: sigstore.oidcIssuer } : {}),
        ...(sigstore.oidcClientId ? { clientId: sigstore.oidcClientId } : {}),
        openBrowser: async (url) => {
          await vscode.env.openExternal(vscode.Uri.parse(url));
        },
        signal,
      });
      const who = tokenIdentity(identityToken);
      report(`certificate and transparency log entry for ${who.subject}…`);
      await signKeyless(repo, subject, {
        identityToken,
        fulcioURL: fulcio,
        ...(sigstore.rekorUrl ? { rekorURL: sigstore.rekorUrl } : {}),
        signal,
      });
      return { pinned: formatReference(pinned(ref, subject.digest)), who };
    });
    deps.log.info(`Signed ${result.pinned} keyless as ${result.who.subject} (${result.who.issuer})`);
    void vscode.window.showInformationMessage(`Signed ${result.pinned} as ${result.who.subject}`);
  } catch (error) {
    throw failure(`Could not sign ${input} keyless`, error);
  }
}
