/** Bearer tokens keyed by registry, realm, service and scope set, kept until shortly before expiry. */
export class TokenCache {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  get(key: string): string | undefined {
    const entry = this.tokens.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.tokens.delete(key);
      return undefined;
    }
    return entry.token;
  }

  /** Tokens are dropped 10 s (or a tenth of their life, if shorter) before they expire. */
  set(key: string, token: string, expiresInSeconds: number): void {
    const lifeMs = Math.max(0, expiresInSeconds) * 1000;
    const margin = Math.min(10_000, lifeMs / 10);
    this.tokens.set(key, { token, expiresAt: this.now() + lifeMs - margin });
  }

  delete(key: string): void {
    this.tokens.delete(key);
  }

  forgetRegistry(registry: string): void {
    for (const key of [...this.tokens.keys()]) {
      if (key.startsWith(`${registry}|`)) this.tokens.delete(key);
    }
  }
}
