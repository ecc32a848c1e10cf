import type { CloudProvider, ProviderName } from '../../cloud/provider';
import type { ProviderChoice } from '../../cloud/providerCredentials';
import { providerLoader, recognisedProvider } from '../../cloud/providers';
import type { RegistrySettings } from '../../oci';
import { vscodeGitHubTokenSource, vscodeMicrosoftTokenSource } from './sessionTokenSources';

/**
 * The provider for a registry: the one the user's settings name for it (chosen: its failures are
 * the operation's), else the one its host is recognised by (tried, and anonymous access after a
 * failure). Only the user's own settings may choose: a workspace naming a provider for a host could
 * otherwise send the user's GitHub or Microsoft token wherever a cloned repository points.
 */
export function chooseProvider(registry: string, userChoice: (registry: string) => ProviderName | undefined): ProviderChoice | undefined {
  const chosen = userChoice(registry);
  if (chosen) return { provider: chosen, chosen: true };
  return recognisedProvider(registry);
}

const sdkChainProviders = providerLoader({ env: process.env });

/**
 * Builds a provider the first time a registry needs it. Each provider module and its SDK is a
 * dynamic import, so none of it loads at activation or for registries no cloud signs in to.
 */
export async function loadEditorProvider(name: ProviderName, settingsFor: (registry: string) => RegistrySettings): Promise<CloudProvider> {
  switch (name) {
    case 'github': {
      const { GitHubProvider } = await import('../../cloud/github/githubProvider.js');
      return new GitHubProvider({ tokenSource: vscodeGitHubTokenSource() });
    }
    case 'azure': {
      const [{ AzureProvider }, { defaultAzureTokenSource }] = await Promise.all([
        import('../../cloud/azure/azureProvider.js'),
        import('../../cloud/azure/entraTokenSource.js'),
      ]);
      return new AzureProvider({
        tokenSource: vscodeMicrosoftTokenSource(async () => defaultAzureTokenSource()),
        caFileFor: (registry: string) => settingsFor(registry).caFile,
      });
    }
    case 'aws':
    case 'gcp':
      // Their SDKs' own chains serve the editor as they serve the CLI.
      return sdkChainProviders(name);
  }
}
