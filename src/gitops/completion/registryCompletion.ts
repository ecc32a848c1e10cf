import { isAccessoryTag } from '../../artifact/kinds';
import { resolveSemver } from '../semver';
import type { RegistryFacts, TagDetail } from './registryFacts';
import { repositoryText, type CompletionSite } from '../contract/completionSite';
import { age, errorMessage, shortHex } from '../../text/format';

export interface CompletionChoice {
  label: string;
  /** The text that replaces [start, end). */
  insert: string;
  kind: 'registry' | 'repository' | 'tag' | 'version' | 'digest';
  detail?: string;
  documentation?: string;
  /** Keeps the registry's order (newest first) whatever the editor's own sorting. */
  sortText: string;
}

export interface CompletionAnswer {
  choices: CompletionChoice[];
  /** More is on its way (tag details, a listing): ask again to get it. */
  incomplete: boolean;
  start: number;
  end: number;
  /** Why the registry gave nothing, for a hint instead of an empty list. */
  problem?: string;
}

export interface KnownRegistry {
  host: string;
  /** Repositories the user added by hand: what completion offers where a registry has no catalog. */
  repositories: string[];
}

/** How many tags get their digest, kind and age looked up: those a user reads first. */
const DETAILED = 20;

function sortKey(index: number): string {
  return String(index).padStart(6, '0');
}

function describe(detail: TagDetail | undefined): string | undefined {
  if (!detail) return undefined;
  return [detail.kind, detail.created ? age(detail.created) : undefined, shortHex(detail.digest)].filter(Boolean).join(' · ');
}

/** Tags newest first: semantic versions by precedence (as Argo CD's loose parser reads them), then the rest by name. */
function newestFirst(tags: string[]): string[] {
  const versions = resolveSemver(tags, '>=0.0.0-0', { controller: 'argo', helmTags: true });
  const ordered = versions.error ? [] : versions.matches.map((m) => m.tag);
  const seen = new Set(ordered);
  const rest = tags.filter((t) => !seen.has(t)).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  return [...ordered, ...rest];
}

/**
 * Registry answers for a completion site. From the cache this returns at once; otherwise it waits
 * for one listing (one round trip per page) and marks the answer incomplete while tag details load.
 */
export async function completeFromRegistry(site: CompletionSite, facts: RegistryFacts, known: KnownRegistry[]): Promise<CompletionAnswer> {
  const base = { start: site.start, end: site.end };
  if (site.kind === 'registry-or-repository') return { ...base, ...(await registryChoices(site, facts, known)) };
  const repo = site.repo;
  let tags: string[];
  try {
    const cached = facts.peekTags(repo);
    if (cached && 'error' in cached) throw cached.error;
    tags = cached ? cached.value : await facts.tags(repo);
  } catch (error) {
    return { ...base, choices: [], incomplete: false, problem: `${repositoryText(repo)}: ${errorMessage(error)}` };
  }
  tags = tags.filter((t) => !isAccessoryTag(t));
  let incomplete = false;
  const detailOf = (tag: string): TagDetail | undefined => {
    const detail = facts.peekDetail(repo, tag);
    if (!detail) {
      incomplete = true;
      facts.detail(repo, tag).catch(() => undefined);
    }
    return detail;
  };
  if (site.kind === 'tag') {
    const choices = newestFirst(tags).map((tag, i): CompletionChoice => {
      const detail = i < DETAILED ? detailOf(tag) : undefined;
      return { label: tag, insert: tag, kind: 'tag', detail: describe(detail), sortText: sortKey(i) };
    });
    return { ...base, choices, incomplete };
  }
  if (site.kind === 'version') {
    const resolution = resolveSemver(tags, '>=0.0.0-0', {
      controller: site.controller,
      helmTags: site.helm,
      ...(site.filter ? { filter: site.filter } : {}),
    });
    const choices = resolution.matches.map((m, i): CompletionChoice => {
      // A Helm chart's version is written with `+`; its tag spells it `_`.
      const version = site.helm ? m.tag.replace(/_/g, '+') : m.tag;
      const detail = i < DETAILED ? detailOf(m.tag) : undefined;
      return { label: version, insert: version, kind: 'version', detail: describe(detail), sortText: sortKey(i) };
    });
    return { ...base, choices, incomplete, ...(choices.length === 0 ? { problem: `${repositoryText(repo)} has no version tags` } : {}) };
  }
  // digest: the digests of the newest tags, each labelled with the tags that point at it.
  const byDigest = new Map<string, string[]>();
  for (const tag of newestFirst(tags).slice(0, DETAILED)) {
    const detail = detailOf(tag);
    if (detail) byDigest.set(detail.digest, [...(byDigest.get(detail.digest) ?? []), tag]);
  }
  const choices = [...byDigest].map(([digest, named], i): CompletionChoice => ({
    label: digest,
    insert: digest,
    kind: 'digest',
    detail: named.join(', '),
    sortText: sortKey(i),
  }));
  return { ...base, choices, incomplete };
}

async function registryChoices(
  site: Extract<CompletionSite, { kind: 'registry-or-repository' }>,
  facts: RegistryFacts,
  known: KnownRegistry[],
): Promise<{ choices: CompletionChoice[]; incomplete: boolean; problem?: string }> {
  const scheme = site.ociScheme ? 'oci://' : '';
  const typed = site.typed.replace(/^oci:\/\//, '');
  const slash = typed.indexOf('/');
  if (slash < 0) {
    const choices = known.map((r, i): CompletionChoice => ({
      label: `${scheme}${r.host}/`,
      insert: `${scheme}${r.host}/`,
      kind: 'registry',
      sortText: sortKey(i),
    }));
    return { choices, incomplete: false };
  }
  const host = typed.slice(0, slash);
  const remembered = known.find((r) => r.host === host)?.repositories ?? [];
  let listed: string[] = [];
  let problem: string | undefined;
  try {
    const cached = facts.peekRepositories(host);
    if (cached && 'error' in cached) throw cached.error;
    listed = cached ? cached.value : await facts.repositories(host);
  } catch (error) {
    // No catalog (or not allowed to read it): the remembered repositories are what we know.
    problem = remembered.length ? undefined : `${host} lists no repositories: ${errorMessage(error)}`;
  }
  const names = [...new Set([...remembered, ...listed])];
  const choices = names.map((name, i): CompletionChoice => ({
    label: `${scheme}${host}/${name}`,
    insert: `${scheme}${host}/${name}`,
    kind: 'repository',
    ...(remembered.includes(name) ? { detail: 'added by you' } : {}),
    sortText: sortKey(i),
  }));
  return { choices, incomplete: false, ...(problem ? { problem } : {}) };
}
