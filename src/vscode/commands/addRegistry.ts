import * as vscode from 'vscode';
import { providerForHost } from '../../cloud/hosts';
import { PROVIDER_NAMES, type ProviderName } from '../../cloud/provider';
import { PROVIDER_LABELS } from '../../cloud/providerErrors';
import { isLoopbackHost, parseRegistryHost } from '../../oci';
import { configuredRegistries, saveRegistries } from '../registrySettings';
import { signInInteractively } from '../cloudSignIn/sessionTokenSources';
import { askCredential } from './askCredential';
import type { CommandContext } from './context';
import { errorMessage } from '../../text/format';
import { inputCheck } from './inputCheck';

type AuthChoice = vscode.QuickPickItem & { auth: 'none' | 'password' | 'docker' | 'cloud' | 'pick-cloud'; provider?: ProviderName };

/** What each cloud sign-in uses in the editor, for the pickers. */
const PROVIDER_SOURCES: Record<ProviderName, string> = {
  aws: 'your AWS profile or SSO session (aws sso login)',
  azure: "VS Code's Microsoft account, or az login",
  gcp: 'Application Default Credentials (gcloud auth application-default login)',
  github: "VS Code's GitHub account (read:packages)",
};

function cloudChoice(provider: ProviderName): AuthChoice {
  return { label: `$(cloud) Sign in with ${PROVIDER_LABELS[provider]}`, description: PROVIDER_SOURCES[provider], auth: 'cloud', provider };
}

/** Quick input: the registry address, then how to sign in; checks the registry answers before saving. */
export async function addRegistry(ctx: CommandContext): Promise<void> {
  const input = await vscode.window.showInputBox({
    title: 'Add Registry (1/2)',
    prompt: 'Registry host, e.g. ghcr.io, registry.example.com:5000 or localhost:5000',
    placeHolder: 'ghcr.io',
    ignoreFocusOut: true,
    validateInput: inputCheck(parseRegistryHost),
  });
  if (input === undefined) return;
  const host = parseRegistryHost(input.trim());
  if (configuredRegistries().some((r) => safeHost(r.url) === host)) {
    void vscode.window.showInformationMessage(`${host} is already in the Registries view.`);
    return;
  }
  const recognised = providerForHost(host);
  const choices: AuthChoice[] = [
    ...(recognised ? [cloudChoice(recognised)] : []),
    { label: '$(globe) Anonymous', description: 'public registry, or sign in later', auth: 'none' },
    { label: '$(key) Username and password or token', description: 'kept in the OS keychain', auth: 'password' },
    { label: '$(file) Docker credentials', description: 'from ~/.docker/config.json (docker login)', auth: 'docker' },
    { label: '$(cloud) Cloud sign-in…', description: 'AWS, Azure, Google Cloud or GitHub, for any host', auth: 'pick-cloud' },
  ];
  let choice = await vscode.window.showQuickPick(choices, {
    title: `Add Registry (2/2): how to sign in to ${host}`,
    ignoreFocusOut: true,
  });
  if (choice?.auth === 'pick-cloud') {
    choice = await vscode.window.showQuickPick(PROVIDER_NAMES.map(cloudChoice), {
      title: `Add Registry: which cloud signs in to ${host}`,
      ignoreFocusOut: true,
    });
  }
  if (!choice) return;
  if (choice.auth === 'password') {
    const credential = await askCredential(host);
    if (!credential) return;
    await ctx.secrets.store(host, credential);
    ctx.client.forgetCredentials(host);
  }
  // Plain HTTP is allowed for loopback without a flag; elsewhere the user must choose it explicitly.
  const insecure = input.trim().toLowerCase().startsWith('http://') && !isLoopbackHost(host) ? true : undefined;
  // Only the provider's name is saved; its tokens stay in memory.
  const provider = choice.auth === 'cloud' ? choice.provider : undefined;
  if (provider === 'github') await signInInteractively('github');
  await saveRegistries([...configuredRegistries(), { url: host, ...(insecure ? { insecure } : {}), ...(provider ? { provider } : {}) }]);
  ctx.tree.refresh();
  try {
    await vscode.window.withProgress({ location: { viewId: 'ociGitops.registries' }, title: `Checking ${host}` }, () =>
      ctx.client.registry(host).ping(),
    );
    ctx.log.info(`Added registry ${host}`);
  } catch (error) {
    ctx.log.warn(`Added registry ${host}, but it did not answer: ${errorMessage(error)}`);
    void vscode.window.showWarningMessage(`Added ${host}, but it did not answer: ${errorMessage(error)}`, 'Show Log').then((action) => {
      if (action) ctx.log.show();
    });
  }
}

function safeHost(url: string): string | undefined {
  try {
    return parseRegistryHost(url);
  } catch {
    return undefined;
  }
}
