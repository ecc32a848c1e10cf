import { maxSatisfying, valid } from 'semver';
import type { RepositoryApi } from '../../oci';
import { compileGoRegexp, type GoRegexp } from '../../text/goRegexp';
import type { Selector } from './liveTargets';
import { errorMessage } from '../../text/format';

/** What a selector names right now: a tag (for tags and constraints) and the reference to fetch. */
export interface SelectedReference {
  tag?: string;
  reference: string;
}

/** Raised when no tag satisfies a constraint; the message lists what was there. */
export class NoMatchingTag extends Error {}

/**
 * Picks the artifact a selector means today, as the controllers do: a digest is itself; a tag is
 * itself; a semver constraint takes the highest tag that satisfies it, after `semverFilter`, with
 * Helm's `_` read as `+`. Constraints are Masterminds' (comma means "and"); node-semver reads them
 * the same for the forms Flux and Argo CD document.
 */
export async function selectReference(repo: RepositoryApi, selector: Selector, signal?: AbortSignal): Promise<SelectedReference> {
  if (selector.type === 'digest') return { reference: selector.value };
  if (selector.type === 'tag') return { tag: selector.value, reference: selector.value };
  // Go's regexp, as Flux matches semverFilter: linear time against tag names a registry chose.
  let filter: GoRegexp | undefined;
  try {
    filter = selector.filter ? compileGoRegexp(selector.filter) : undefined;
  } catch (error) {
    throw new NoMatchingTag(
      `semverFilter ${selector.filter} is not a Go regular expression (${errorMessage(error)}), so Flux refuses it; no tag can match`,
    );
  }
  const byVersion = new Map<string, string>();
  let count = 0;
  for await (const tag of repo.tags({ signal })) {
    count++;
    if (filter && !filter.test(tag)) continue;
    const version = valid(tag.replace(/_/g, '+'), { loose: true });
    if (version && !byVersion.has(version)) byVersion.set(version, tag);
  }
  const range = selector.value.replace(/,/g, ' ').replace(/\s+/g, ' ').trim();
  const picked = maxSatisfying([...byVersion.keys()], range, { loose: true, includePrerelease: /-/.test(range) });
  if (!picked) {
    const versions = [...byVersion.values()];
    const listed =
      versions.length === 0
        ? `none of its ${count} tags is a semantic version${filter ? ` matching semverFilter ${selector.filter}` : ''}`
        : `its versions are ${versions.slice(0, 8).join(', ')}${versions.length > 8 ? ', …' : ''}`;
    throw new NoMatchingTag(`No tag satisfies "${selector.value}": ${listed}`);
  }
  const tag = byVersion.get(picked)!;
  return { tag, reference: tag };
}
