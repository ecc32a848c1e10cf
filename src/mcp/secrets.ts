import type { Credential, CredentialProvider } from '../oci';

/**
 * The credentials the server's client has been given, remembered so that no tool result can carry
 * one back to the agent: a registry error that echoed a password, or a file that happens to hold
 * the token, is redacted before it leaves the server. Credentials never come in as tool arguments;
 * this guards the way out.
 */
export class SecretWatch implements CredentialProvider {
  private readonly secrets = new Set<string>();

  constructor(private readonly inner: CredentialProvider) {}

  async get(registry: string, signal?: AbortSignal): Promise<Credential | undefined> {
    const credential = await this.inner.get(registry, signal);
    for (const value of [credential?.password, credential?.identityToken, credential?.registryToken])
      if (value && value.length >= 4) this.secrets.add(value);
    if (credential?.username && credential.password) {
      this.secrets.add(Buffer.from(`${credential.username}:${credential.password}`).toString('base64'));
    }
    return credential;
  }

  /** The text with every credential this server has used replaced by a marker. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join('[credential redacted]');
    return out;
  }
}
