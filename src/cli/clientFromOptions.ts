import { ProviderCredentials, type ProviderChoice } from '../cloud/providerCredentials';
import { isProviderAvailable, providerLoader, recognisedProvider, unavailableProvider } from '../cloud/providers';
import { ChainedCredentials, DockerConfigCredentials, OciClient, StaticCredentials, type CredentialProvider } from '../oci';
import type { RegistryOptions } from './commandLine/registryFlags';
import { line, readAll, terminalText, type CliIo } from './io';
import { UsageError } from './usage';

/**
 * Builds the client for one registry from the command line: its TLS settings and credentials. Which
 * login a registry gets, first that applies: --username (with the password on stdin); --provider
 * (the named cloud's sign-in, and nothing else); the Docker config (auths, credHelpers, credsStore);
 * the cloud the host's name shows (a failed sign-in there warns and goes on anonymously); none.
 */
export async function clientFromOptions(registry: string, options: RegistryOptions, io: CliIo): Promise<OciClient> {
  const providers: CredentialProvider[] = [];
  const chosen = options.provider;
  if (chosen && !isProviderAvailable(chosen)) throw new UsageError(unavailableProvider(chosen));
  if (options.username) {
    const password = (await readAll(io.stdin)).replace(/\r?\n$/, '');
    if (!password) throw new UsageError('--password-stdin was given but stdin was empty');
    providers.push(new StaticCredentials(registry, { username: options.username, password }));
  }
  if (chosen) {
    const caFile = options['ca-file'];
    providers.push(
      cloudSignIn(
        io,
        (host) => (host === registry ? { provider: chosen, chosen: true } : undefined),
        (host) => (host === registry ? caFile : undefined),
      ),
    );
  } else {
    providers.push(dockerThenCloud(options['docker-config'], io));
  }
  return new OciClient({
    credentials: new ChainedCredentials(providers),
    settingsFor: (host) =>
      host === registry ? { insecure: options.insecure, caFile: options['ca-file'], tokenRealms: options['allow-token-realm'] } : {},
    userAgent: 'oci-gitops-cli',
    ...(options.timeout ? { timeoutMs: options.timeout * 1000 } : {}),
  });
}

/**
 * For any registry a command reaches without a login of its own (and for commands that reach many,
 * validate --live and mcp): the Docker config's login, else the sign-in of the cloud the host's
 * name shows.
 */
export function dockerThenCloud(dockerConfig: string | undefined, io: CliIo): CredentialProvider {
  return new ChainedCredentials([
    new DockerConfigCredentials({ configPath: dockerConfig, env: io.env }),
    cloudSignIn(io, recognisedProvider),
  ]);
}

function cloudSignIn(
  io: CliIo,
  choose: (host: string) => ProviderChoice | undefined,
  caFileFor?: (host: string) => string | undefined,
): ProviderCredentials {
  return new ProviderCredentials({
    choose,
    load: providerLoader({ env: io.env, caFileFor }),
    warn: (message) => line(io.stderr, `oci-gitops: warning: ${terminalText(message)}`),
  });
}
