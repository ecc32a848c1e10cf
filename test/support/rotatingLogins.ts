import type { RunningRegistry } from './registry';

/**
 * A cloud's token issuer in front of an htpasswd Distribution: each issue() mints a new password,
 * and the registry then accepts only the newest one, as a registry stops accepting an expired
 * cloud token. Tests read `issued` to check that no token leaked into output.
 */
export class RotatingLogins {
  readonly issued: string[] = [];

  constructor(
    private readonly registry: RunningRegistry,
    readonly username: string,
    private readonly prefix = 'cloud-token',
  ) {}

  /** A new password, the only one the registry accepts from now on. */
  issue(): string {
    const password = `${this.prefix}-${this.issued.length + 1}-${Math.random().toString(36).slice(2)}`;
    this.issued.push(password);
    this.registry.setLogins([{ username: this.username, password }]);
    return password;
  }

  /** Expires the current password without issuing a new one to the client (it must ask again). */
  expire(): void {
    this.registry.setLogins([{ username: this.username, password: `expired-${Math.random().toString(36).slice(2)}` }]);
  }
}
