import { summarise } from '../../artifact/summary';
import { tagged, type RepositoryApi } from '../../oci';
import { ociRepository, repositoryText, type OciRepository, type RepositoryRef } from '../contract/completionSite';

/** What a tag points at, as completion shows it beside the tag. */
export interface TagDetail {
  digest: string;
  /** "Flux manifests", "Helm chart", … */
  kind: string;
  created?: Date;
}

/** How the facts reach registries: the extension passes its shared client. */
export interface RegistryAccess {
  /** The registry API of a repository (OciClient.repository). */
  repository(ref: OciRepository): RepositoryApi;
  /** The first page of the catalog; rejects where the registry has none or refuses it. */
  catalog(host: string, signal?: AbortSignal): Promise<string[]>;
}

interface Entry {
  until: number;
  promise: Promise<unknown>;
  settled?: { value: unknown } | { error: Error };
}

/**
 * Registry answers for authoring, shared by every keystroke: a settled answer is readable at once
 * (`peek`), so completion from the cache never waits; an unsettled one is loaded once however often
 * it is asked for. Answers last a minute, failures ten seconds.
 */
export class RegistryFacts {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly access: RegistryAccess,
    private readonly ttlMs = 60_000,
    private readonly failureTtlMs = 10_000,
    private readonly clock: () => number = Date.now,
  ) {}

  private load<T>(key: string, loader: () => Promise<T>): Entry {
    const now = this.clock();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit;
    const entry: Entry = { until: now + this.ttlMs, promise: loader() };
    entry.promise.then(
      (value) => (entry.settled = { value }),
      (error: Error) => {
        entry.settled = { error };
        entry.until = Math.min(entry.until, this.clock() + this.failureTtlMs);
      },
    );
    this.entries.set(key, entry);
    return entry;
  }

  private peekEntry<T>(key: string): { value: T } | { error: Error } | undefined {
    const hit = this.entries.get(key);
    if (!hit || hit.until <= this.clock()) return undefined;
    return hit.settled as { value: T } | { error: Error } | undefined;
  }

  private tagsKey(repo: RepositoryRef): string {
    return `tags ${repositoryText(repo)}`;
  }

  /** Every tag of a repository (every page). */
  tags(repo: RepositoryRef): Promise<string[]> {
    return this.load(this.tagsKey(repo), async () => {
      const tags: string[] = [];
      for await (const tag of this.access.repository(ociRepository(repo)).tags()) tags.push(tag);
      return tags;
    }).promise as Promise<string[]>;
  }

  peekTags(repo: RepositoryRef): { value: string[] } | { error: Error } | undefined {
    return this.peekEntry(this.tagsKey(repo));
  }

  detail(repo: RepositoryRef, tag: string): Promise<TagDetail> {
    return this.load(`detail ${repositoryText(repo)}:${tag}`, async () => {
      const ref = ociRepository(repo);
      const summary = await summarise(this.access.repository(ref), tagged(ref, tag));
      return { digest: summary.descriptor.digest, kind: summary.kind.kind.label, ...(summary.created ? { created: summary.created } : {}) };
    }).promise as Promise<TagDetail>;
  }

  peekDetail(repo: RepositoryRef, tag: string): TagDetail | undefined {
    const settled = this.peekEntry<TagDetail>(`detail ${repositoryText(repo)}:${tag}`);
    return settled && 'value' in settled ? settled.value : undefined;
  }

  repositories(host: string): Promise<string[]> {
    return this.load(`catalog ${host}`, () => this.access.catalog(host)).promise as Promise<string[]>;
  }

  peekRepositories(host: string): { value: string[] } | { error: Error } | undefined {
    return this.peekEntry(`catalog ${host}`);
  }

  /** Files of an artifact's content, e.g. a chart's values.yaml, cached like the rest. */
  file<T>(key: string, loader: () => Promise<T>): Promise<T> {
    return this.load(`file ${key}`, loader).promise as Promise<T>;
  }

  clear(): void {
    this.entries.clear();
  }
}
