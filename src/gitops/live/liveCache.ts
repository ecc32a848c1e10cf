/**
 * Registry answers shared by every file and keystroke for a short time: typing in a file of fifty
 * OCIRepositories must not send fifty requests per pause. Failures are kept for less time than
 * answers so a fixed credential or a pushed tag shows up quickly.
 */
export class LiveCache {
  private readonly entries = new Map<string, { until: number; value: Promise<unknown> }>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly failureTtlMs = 10_000,
    private readonly clock: () => number = Date.now,
  ) {}

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.clock();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.value as Promise<T>;
    const value = load();
    this.entries.set(key, { until: now + this.ttlMs, value });
    value.catch(() => {
      const entry = this.entries.get(key);
      if (entry?.value === value) entry.until = Math.min(entry.until, this.clock() + this.failureTtlMs);
    });
    return value;
  }

  /** Forget everything, e.g. after a push, a sign-in or a "refresh". */
  clear(): void {
    this.entries.clear();
  }
}
