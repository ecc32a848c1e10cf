import { coerce, compare, valid } from 'semver';

/** Newest first: semantic versions by precedence, then everything else in reverse lexical order. */
export function sortTagsNewestFirst(tags: string[]): string[] {
  const versioned: { tag: string; version: string }[] = [];
  const others: string[] = [];
  for (const tag of tags) {
    const version = valid(tag.replace(/_/g, '+')) ?? (/^v?\d+(\.\d+){0,2}$/.test(tag) ? coerce(tag)?.version : undefined);
    if (version) versioned.push({ tag, version });
    else others.push(tag);
  }
  versioned.sort((a, b) => compare(b.version, a.version) || (a.tag < b.tag ? 1 : -1));
  others.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  return [...versioned.map((v) => v.tag), ...others];
}
