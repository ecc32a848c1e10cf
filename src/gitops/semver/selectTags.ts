import { compileGoRegexp } from '../../text/goRegexp';
import { errorMessage } from '../../text/format';
import { resolveSemver } from './resolve';

/** Which tags of a repository a copy takes: all of them, the versions a constraint picks, those a pattern matches, or both. */
export interface TagSelection {
  /** A Masterminds constraint, read as Flux's OCIRepository `ref.semver` reads tags (strict versions, one leading `v`). */
  semver?: string;
  /** A Go regular expression (RE2: linear time whatever the pattern), unanchored as Go's MatchString is; with `semver`, its semverFilter. */
  tagRegex?: string;
}

/**
 * The tags `selection` picks, in the order given, or the reason it cannot pick any (a constraint or
 * pattern that does not parse). Patterns run on RE2, never on JavaScript's backtracking engine, so
 * a pattern like `^(a+)+$` cannot stall on a long tag.
 */
export function selectTags(tags: readonly string[], selection: TagSelection): { tags: string[]; error?: string } {
  if (selection.semver !== undefined) {
    const resolution = resolveSemver(tags, selection.semver, { controller: 'flux-oci', filter: selection.tagRegex });
    if (resolution.error) return { tags: [], error: resolution.error };
    const picked = new Set(resolution.matches.map((m) => m.tag));
    return { tags: tags.filter((tag) => picked.has(tag)) };
  }
  if (selection.tagRegex !== undefined) {
    try {
      const regexp = compileGoRegexp(selection.tagRegex);
      return { tags: tags.filter((tag) => regexp.test(tag)) };
    } catch (error) {
      return { tags: [], error: `--tag-regex ${selection.tagRegex} is not a Go regular expression: ${errorMessage(error)}` };
    }
  }
  return { tags: [...tags] };
}
