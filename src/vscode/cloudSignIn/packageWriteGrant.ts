import * as vscode from 'vscode';
import { refusedForPackageWrite } from '../../cloud/github/packageWriteRefusal';
import type { ProviderCredentials } from '../../cloud/providerCredentials';
import { OciError, type OciClient } from '../../oci';
import { errorMessage } from '../../text/format';
import { GITHUB_WRITE_SCOPES } from './sessionTokenSources';

export const GRANT_WRITE = 'Grant write:packages';

/**
 * Runs a write to `registry` (`doing` is what the user hears before its name: "Pushing to"),
 * and when the registry refused it because VS Code's GitHub session may only read packages, asks
 * the user once whether VS Code may ask GitHub for write:packages; with that session the write is
 * tried once more. Declined, the first refusal is the answer. Only writes pass through here, and
 * the account is asked only after the user's word, so browsing never asks for write.
 */
export type PackageWriteGrant = <T>(registry: string, doing: string, write: () => PromiseLike<T>) => Promise<T>;

export function packageWriteGrant(
  cloud: Pick<ProviderCredentials, 'signedInWith' | 'forget'>,
  client: Pick<OciClient, 'forgetCredentials'>,
  log: vscode.LogOutputChannel,
): PackageWriteGrant {
  return async (registry, doing, write) => {
    try {
      return await write();
    } catch (error) {
      if (!refusedForPackageWrite(error, registry, cloud.signedInWith(registry))) throw error;
      // A session that already has write:packages was refused for another reason (the package's own access list).
      if (await sessionMayWrite()) throw error;
      log.warn(`${registry} refused the write: VS Code's GitHub session lacks write:packages (${errorMessage(error)})`);
      if (!(await grantWrite(registry, doing, log))) throw withScopeHint(error as OciError, registry);
      // The next sign-in reads the new session; the bearer tokens of the read-only one go with it.
      cloud.forget(registry);
      client.forgetCredentials(registry);
      log.info(`VS Code's GitHub session now has write:packages; ${doing.toLowerCase()} ${registry} again`);
      return await write();
    }
  };
}

async function sessionMayWrite(): Promise<boolean> {
  return !!(await vscode.authentication.getSession('github', GITHUB_WRITE_SCOPES, { silent: true }));
}

/** The user's word, then VS Code's own consent for the scope; false when either is declined. */
async function grantWrite(registry: string, doing: string, log: vscode.LogOutputChannel): Promise<boolean> {
  const answer = await vscode.window.showWarningMessage(
    `${doing} ${registry} needs the write:packages permission of your GitHub account`,
    {
      modal: true,
      detail: `VS Code's GitHub sign-in gives OCI GitOps read:packages only, so ${registry} refused the write; nothing was written. ${GRANT_WRITE} asks GitHub (through VS Code) for write:packages, then tries once more.`,
    },
    GRANT_WRITE,
  );
  if (answer !== GRANT_WRITE) return false;
  try {
    return !!(await vscode.authentication.getSession('github', GITHUB_WRITE_SCOPES, { createIfNone: true }));
  } catch (error) {
    // VS Code rejects when the user cancels its consent dialog or GitHub's page.
    log.info(`write:packages was not granted: ${errorMessage(error)}`);
    return false;
  }
}

/** The refusal as it came, with what would fix it in place of the generic "sign in" hint. */
function withScopeHint(error: OciError, registry: string): OciError {
  const said = error.hint && error.message.endsWith(`. ${error.hint}`) ? error.message.slice(0, -error.hint.length - 2) : error.message;
  return new OciError(error.code, said, {
    status: error.status,
    registry: error.registry,
    repository: error.repository,
    hint: `VS Code's GitHub sign-in may only read packages: run the command again and choose ${GRANT_WRITE}, or store a token with write:packages with Sign In to Registry… for ${registry}`,
    cause: error,
  });
}
