import type { YAMLMap } from 'yaml';
import type { Selector } from './liveTarget';
import type { SemverController, SemverOptions } from '../semver';
import { formatRepository, parseReference, type Reference } from '../../oci/reference/reference';
import { withoutTrailingSlashes, beforeFirst } from '../../text/trim';

/** A registry repository a field points into. */
export interface RepositoryRef {
  host: string;
  repository: string;
}

/** The value under the cursor of a `key: value` pair, where a kind decides what the registry can offer. */
export interface ValueAt {
  /** Keys and sequence indexes from the document root to the pair (`spec.sources.1.targetRevision`). */
  path: (string | number)[];
  /** The map that holds the pair: the siblings (repoURL beside targetRevision). */
  parent: YAMLMap;
  /** What is typed so far, from the start of the value to the cursor. */
  typed: string;
  /** The span a choice replaces, in the whole file. */
  start: number;
  end: number;
}

type Span = { typed: string; start: number; end: number; field: string };

/** What the registry can offer at the cursor, and the span of text a choice replaces. */
export type CompletionSite =
  | (Span & { kind: 'registry-or-repository'; ociScheme: boolean })
  | (Span & { kind: 'tag'; repo: RepositoryRef; helm: boolean })
  | (Span & { kind: 'version'; repo: RepositoryRef; controller: SemverController; helm: boolean; filter?: string })
  | (Span & { kind: 'digest'; repo: RepositoryRef });

/** A semver constraint in a manifest, with whose reading applies and the repository it ranges over. */
export interface SemverSite {
  constraint: string;
  repo: RepositoryRef;
  options: SemverOptions;
  start: number;
  end: number;
  /** The field, for messages (spec.ref.semver, spec.sources[1].targetRevision). */
  field: string;
}

/** A repository of the registry API: what the registries are asked through (OciClient.repository). */
export type OciRepository = Pick<Reference, 'registry' | 'repository'>;

/**
 * The repository a manifest field names, as the registry API takes it (the host normalised,
 * Docker Hub's `library/` added); an OciError for a name the API refuses.
 */
export function ociRepository(ref: RepositoryRef): OciRepository {
  const { registry, repository } = parseReference(repositoryText(ref));
  return { registry, repository };
}

/** `host/repository`, as messages and cache keys write it. */
export function repositoryText(ref: RepositoryRef): string {
  return formatRepository({ registry: ref.host, repository: ref.repository });
}

/** `registry/path` of an `oci://registry/path[:tag]` url (or one without the scheme); undefined when it is not one. */
export function repositoryOfUrl(url: string): RepositoryRef | undefined {
  const cleaned = withoutTrailingSlashes(url.replace(/^oci:\/\//, ''));
  const slash = cleaned.indexOf('/');
  if (slash <= 0) return undefined;
  const host = cleaned.slice(0, slash);
  const repository = beforeFirst(cleaned.slice(slash + 1), ':@');
  if (!repository || !/^[a-z0-9]+(?:(?:[._/]|__|-+)[a-z0-9]+)*$/.test(repository)) return undefined;
  return { host, repository };
}

/** The path a site's field is reported as. */
export function fieldOf(at: ValueAt): string {
  return at.path.join('.');
}

export function samePath(path: (string | number)[], ...expected: (string | number)[]): boolean {
  return path.length === expected.length && path.every((p, i) => p === expected[i]);
}

/** A Helm chart in a registry, and how a manifest selects its version. */
export interface ChartRef {
  repo: RepositoryRef;
  selector: Selector;
  /** How a semver selector is resolved. */
  options: SemverOptions;
}

/** Where the cursor is among the keys of a file, by indentation: works on half-typed YAML. */
export interface KeyAt {
  /** Keys from the document root to the cursor's parent; `-` stands for a list item. */
  ancestors: string[];
  offset: number;
}

/** The chart whose values.yaml answers for the key under the cursor, and the keys inside values above it. */
export interface ChartValuesAt {
  chart: ChartRef;
  /** Keys inside the values map from its top to the cursor's parent. */
  valuesPath: string[];
}
