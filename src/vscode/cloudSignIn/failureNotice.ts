import * as vscode from 'vscode';
import { acrScopeFor } from '../../cloud/azure/audience';
import { ProviderError, type CloudProvider } from '../../cloud/provider';
import { signInFailure } from '../../cloud/providerErrors';
import { signInInteractively } from './sessionTokenSources';

const SHOW_LOG = 'Show Log';

/** What the notification's sign-in button does once the user signed in: drop the old login and reload. */
export type AfterSignIn = (registry: string) => void;

/**
 * A provider whose failures the user hears about once per registry, in a notification naming the
 * provider, the step and the fix, with a sign-in button where VS Code can sign in (GitHub,
 * Microsoft). Every feature's credentials pass through the provider, so this is the one place.
 */
export function withFailureNotice(provider: CloudProvider, log: vscode.LogOutputChannel, afterSignIn: AfterSignIn): CloudProvider {
  const noticed = new Set<string>();
  return {
    name: provider.name,
    displayName: provider.displayName,
    refused: provider.refused
      ? (registry) => {
          const refusal = provider.refused!(registry);
          if (!noticed.has(registry)) {
            noticed.add(registry);
            notify(provider, registry, refusal, log, afterSignIn);
          }
          return refusal;
        }
      : undefined,
    async login(registry, signal) {
      try {
        const login = await provider.login(registry, signal);
        noticed.delete(registry);
        return login;
      } catch (error) {
        if (!noticed.has(registry)) {
          noticed.add(registry);
          notify(provider, registry, error, log, afterSignIn);
        }
        throw error;
      }
    },
  };
}

function notify(provider: CloudProvider, registry: string, error: unknown, log: vscode.LogOutputChannel, afterSignIn: AfterSignIn): void {
  const failure = signInFailure(provider.name, registry, error);
  log.warn(`${failure.message}${failure.hint ? `. ${failure.hint}` : ''}`);
  const button = signInButton(provider, error);
  const actions = button ? [button, SHOW_LOG] : [SHOW_LOG];
  void vscode.window.showWarningMessage(`${failure.message}. ${failure.hint ?? ''}`.trim(), ...actions).then(async (choice) => {
    if (choice === SHOW_LOG) log.show(true);
    if (choice !== button || !button) return;
    const scope = provider.name === 'azure' ? acrScopeFor(registry) : undefined;
    if (await signInInteractively(provider.name === 'github' ? 'github' : 'azure', scope)) afterSignIn(registry);
  });
}

/** A button when VS Code itself can fix the failure: its own GitHub or Microsoft account. */
function signInButton(provider: CloudProvider, error: unknown): string | undefined {
  if (!(error instanceof ProviderError) || error.step === 'exchange') return undefined;
  if (provider.name === 'github') return 'Sign in to GitHub';
  if (provider.name === 'azure' && error.step === 'credentials') return 'Sign in to Microsoft';
  return undefined;
}
