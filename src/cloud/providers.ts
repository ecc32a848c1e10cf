import { providerForHost } from './hosts';
import type { CloudProvider, ProviderName } from './provider';
import type { ProviderChoice } from './providerCredentials';

/** What a provider may read from where it runs (the CLI's environment; its tests give their own). */
export interface ProviderContext {
  env: NodeJS.ProcessEnv;
  /** The extra CA file a registry is trusted with (--ca-file), for a provider that talks to the registry itself (ACR's exchange). */
  caFileFor?: (registry: string) => string | undefined;
}

type ProviderFactory = (context: ProviderContext) => Promise<CloudProvider>;

/**
 * The providers of this build, each loaded with its SDK on first use only (esbuild splits each
 * import() into its own chunk). Adding a provider is one entry here. The AWS and Google SDKs read
 * process.env themselves, so their providers take nothing from the context.
 */
const FACTORIES: Partial<Record<ProviderName, ProviderFactory>> = {
  aws: async () => new (await import('./aws/awsProvider.js')).AwsProvider(),
  gcp: async () => new (await import('./gcp/gcpProvider.js')).GcpProvider(),
  // DefaultAzureCredential reads AZURE_* from process.env itself, as the AWS and Google SDKs do.
  azure: async (context) => new (await import('./azure/azureProvider.js')).AzureProvider({ caFileFor: context.caFileFor }),
  github: async (context) => {
    const [{ GitHubProvider }, { environmentGitHubTokenSource }] = await Promise.all([
      import('./github/githubProvider.js'),
      import('./github/githubTokenSource.js'),
    ]);
    return new GitHubProvider({ tokenSource: environmentGitHubTokenSource(context.env) });
  },
};

export function isProviderAvailable(name: ProviderName): boolean {
  return FACTORIES[name] !== undefined;
}

/** The message for a provider this build does not hold. */
export function unavailableProvider(name: ProviderName): string {
  return `provider ${name} is not available in this build`;
}

/** Loads each provider once for this context; later calls share its instance (and its SDK's caches). */
export function providerLoader(context: ProviderContext): (name: ProviderName) => Promise<CloudProvider> {
  const loaded = new Map<ProviderName, Promise<CloudProvider>>();
  return (name) => {
    let provider = loaded.get(name);
    if (!provider) {
      const factory = FACTORIES[name];
      if (!factory) return Promise.reject(new Error(unavailableProvider(name)));
      provider = factory(context);
      loaded.set(name, provider);
    }
    return provider;
  };
}

/**
 * The provider for a host when the user named none: the one its name shows (providerForHost), if
 * this build has it. Its failures leave the registry anonymous (ProviderCredentials warns).
 */
export function recognisedProvider(registry: string): ProviderChoice | undefined {
  const provider = providerForHost(registry);
  return provider && isProviderAvailable(provider) ? { provider, chosen: false } : undefined;
}
