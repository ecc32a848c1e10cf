import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Dispatcher } from 'undici';
import { providerForHost } from '../../cloud/hosts';
import type { CloudProvider, ProviderName } from '../../cloud/provider';
import type { ProviderChoice } from '../../cloud/providerCredentials';
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
  const recognised = providerForHost(registry);
  return recognised ? { provider: recognised, chosen: false } : undefined;
}

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
      const [{ AzureProvider }, { defaultAzureTokenSource }, { Agent }] = await Promise.all([
        import('../../cloud/azure/azureProvider.js'),
        import('../../cloud/azure/entraTokenSource.js'),
        import('undici'),
      ]);
      const pools = new Map<string, Dispatcher>();
      return new AzureProvider({
        tokenSource: vscodeMicrosoftTokenSource(async () => defaultAzureTokenSource()),
        // The exchange trusts what the registry's own requests trust: its caFile, if the user set one.
        dispatcherFor: (registry: string) => {
          const caFile = settingsFor(registry).caFile;
          if (!caFile) return undefined;
          let pool = pools.get(registry);
          if (!pool) {
            pool = new Agent({ connect: { ca: [...rootCertificates, readFileSync(caFile, 'utf8')] } });
            pools.set(registry, pool);
          }
          return pool;
        },
      });
    }
    case 'aws': {
      const { AwsProvider } = await import('../../cloud/aws/awsProvider.js');
      return new AwsProvider();
    }
    case 'gcp':
      throw new Error('Google Cloud sign-in is not available in this build');
  }
}
