import * as vscode from 'vscode';
import type { EntraTokenSource } from '../../cloud/azure/entraTokenSource';
import type { GitHubTokenSource } from '../../cloud/github/githubTokenSource';

/** The package scopes asked of VS Code's GitHub account: reading is enough to browse, check and pull. */
export const GITHUB_READ_SCOPES = ['read:packages'];
export const GITHUB_WRITE_SCOPES = ['write:packages'];

export const GITHUB_SIGN_IN_HINT = 'Sign in to GitHub in VS Code (Accounts menu) and allow access to packages';
export const MICROSOFT_SIGN_IN_HINT = 'Sign in with a Microsoft account in VS Code (Accounts menu), or run `az login`';

/**
 * The GitHub account VS Code is signed in to. Asked silently, so browsing never opens a consent
 * dialog by itself: without a session the provider fails with the hint, and the notification's
 * "Sign in to GitHub" button asks interactively. A session granted write:packages reads too.
 */
export function vscodeGitHubTokenSource(): GitHubTokenSource {
  return {
    signInHint: GITHUB_SIGN_IN_HINT,
    async getToken() {
      const session =
        (await vscode.authentication.getSession('github', GITHUB_WRITE_SCOPES, { silent: true })) ??
        (await vscode.authentication.getSession('github', GITHUB_READ_SCOPES, { silent: true }));
      if (!session) throw new Error('VS Code is not signed in to GitHub with access to packages');
      return { token: session.accessToken, login: session.account.label };
    },
  };
}

/**
 * The Microsoft account VS Code is signed in to, for the registry's Entra ID audience; without
 * one, the standard Azure chain (`az login`, environment, managed identity) as the CLI uses it.
 */
export function vscodeMicrosoftTokenSource(fallback: () => Promise<EntraTokenSource>): EntraTokenSource {
  return {
    signInHint: MICROSOFT_SIGN_IN_HINT,
    async getToken(scope, signal) {
      const session = await vscode.authentication.getSession('microsoft', [scope], { silent: true });
      if (session) return { token: session.accessToken };
      try {
        return await (await fallback()).getToken(scope, signal);
      } catch (error) {
        throw new Error(
          `VS Code has no Microsoft account signed in, and the Azure credential chain failed too (${(error as Error).message})`,
          {
            cause: error,
          },
        );
      }
    },
  };
}

/** Asks the user to sign in to the account a provider reads (the notification's button). */
export async function signInInteractively(provider: 'github' | 'azure', scope?: string): Promise<boolean> {
  const session =
    provider === 'github'
      ? await vscode.authentication.getSession('github', GITHUB_READ_SCOPES, { createIfNone: true })
      : await vscode.authentication.getSession('microsoft', [scope ?? 'https://containerregistry.azure.net/.default'], {
          createIfNone: true,
        });
  return !!session;
}
