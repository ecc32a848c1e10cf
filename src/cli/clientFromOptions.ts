import { ChainedCredentials, DockerConfigCredentials, OciClient, StaticCredentials, type CredentialProvider } from '../oci';
import type { RegistryOptions } from './commandLine/registryFlags';
import { readAll, type CliIo } from './io';
import { UsageError } from './usage';

/** Builds the client for one registry from the command line: its TLS settings and credentials. */
export async function clientFromOptions(registry: string, options: RegistryOptions, io: CliIo): Promise<OciClient> {
  const providers: CredentialProvider[] = [];
  if (options.username) {
    const password = (await readAll(io.stdin)).replace(/\r?\n$/, '');
    if (!password) throw new UsageError('--password-stdin was given but stdin was empty');
    providers.push(new StaticCredentials(registry, { username: options.username, password }));
  }
  providers.push(new DockerConfigCredentials({ configPath: options['docker-config'], env: io.env }));
  return new OciClient({
    credentials: new ChainedCredentials(providers),
    settingsFor: (host) =>
      host === registry ? { insecure: options.insecure, caFile: options['ca-file'], tokenRealms: options['allow-token-realm'] } : {},
    userAgent: 'oci-gitops-cli',
    ...(options.timeout ? { timeoutMs: options.timeout * 1000 } : {}),
  });
}
