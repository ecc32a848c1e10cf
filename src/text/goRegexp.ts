import { RE2JS } from 're2js';
import { errorMessage } from './format';

/**
 * Regular expressions with Go's syntax and Go's linear-time guarantee, for patterns that come from
 * configuration or repository YAML and are matched against strings a registry or a certificate
 * supplies (Flux's matchOIDCIdentity, cosign's --certificate-identity-regexp, semverFilter).
 * JavaScript's backtracking engine takes exponential time on patterns like `^([a-z0-9]+)+@x$`;
 * RE2JS is a port of RE2 (the engine behind Go's regexp package), so it accepts what Go accepts,
 * refuses what Go refuses (lookarounds, backreferences) and matches in time linear in the input.
 */
export interface GoRegexp {
  readonly source: string;
  /** Go's MatchString: true when the pattern matches anywhere in `value` (not anchored). */
  test(value: string): boolean;
  /** Go's FindStringSubmatch: the first match and its groups (undefined for a group that took no part). */
  exec(value: string): (string | undefined)[] | undefined;
  /** Go's FindAllStringSubmatch: every leftmost non-overlapping match, with its groups and where it starts. */
  execAll(value: string): { groups: (string | undefined)[]; index: number }[];
}

export class GoRegexpSyntaxError extends Error {}

function groupsOf(matcher: ReturnType<RE2JS['matcher']>, count: number): (string | undefined)[] {
  const groups: (string | undefined)[] = [];
  for (let i = 0; i <= count; i++) groups.push(matcher.group(i) ?? undefined);
  return groups;
}

const cache = new Map<string, GoRegexp>();

export function compileGoRegexp(pattern: string): GoRegexp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (error) {
    throw new GoRegexpSyntaxError(errorMessage(error).replace(/^error parsing regexp: /, ''));
  }
  const regexp: GoRegexp = {
    source: pattern,
    test: (value) => compiled.matcher(value).find(),
    exec: (value) => {
      const matcher = compiled.matcher(value);
      return matcher.find() ? groupsOf(matcher, compiled.groupCount()) : undefined;
    },
    execAll: (value) => {
      const matcher = compiled.matcher(value);
      const found: { groups: (string | undefined)[]; index: number }[] = [];
      while (matcher.find()) found.push({ groups: groupsOf(matcher, compiled.groupCount()), index: matcher.start() });
      return found;
    },
  };
  if (cache.size >= 256) cache.delete(cache.keys().next().value as string);
  cache.set(pattern, regexp);
  return regexp;
}
