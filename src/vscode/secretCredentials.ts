import type * as vscode from 'vscode';
import type { Credential, CredentialProvider } from '../oci';

const KEY_PREFIX = 'ociGitops.credential:';

/** Registry credentials in VS Code's SecretStorage (the OS keychain), keyed by registry host. */
export class SecretCredentials implements CredentialProvider {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(registry: string): Promise<Credential | undefined> {
    const stored = await this.secrets.get(KEY_PREFIX + registry);
    if (!stored) return undefined;
    try {
      const parsed = JSON.parse(stored) as Credential;
      return parsed.password || parsed.identityToken || parsed.registryToken ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  async has(registry: string): Promise<boolean> {
    return (await this.get(registry)) !== undefined;
  }

  store(registry: string, credential: Credential): Thenable<void> {
    return this.secrets.store(KEY_PREFIX + registry, JSON.stringify(credential));
  }

  delete(registry: string): Thenable<void> {
    return this.secrets.delete(KEY_PREFIX + registry);
  }
}
