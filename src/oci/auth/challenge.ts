/** A parsed `WWW-Authenticate` challenge (RFC 7235), as registries send it. */
export interface Challenge {
  scheme: 'basic' | 'bearer' | string;
  params: Record<string, string>;
}

/**
 * Parses one or more challenges. Registries differ: Harbor sends `Basic realm="harbor"`, GHCR a
 * Bearer challenge with a scope, some a Bearer challenge without scope, and values may be quoted
 * or bare tokens; all of those must parse.
 */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  if (header === undefined) return [];
  const text = Array.isArray(header) ? header.join(', ') : header;
  const challenges: Challenge[] = [];
  let i = 0;
  let current: Challenge | undefined;
  while (i < text.length) {
    i = skip(text, i, /[\s,]/);
    if (i >= text.length) break;
    const tokenMatch = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/.exec(text.slice(i));
    if (!tokenMatch) break;
    const token = tokenMatch[0];
    const after = skip(text, i + token.length, /\s/);
    if (text[after] === '=' && current) {
      // auth-param: token = ( token / quoted-string )
      let j = skip(text, after + 1, /\s/);
      let value: string;
      if (text[j] === '"') {
        value = '';
        j++;
        while (j < text.length && text[j] !== '"') {
          if (text[j] === '\\' && j + 1 < text.length) j++;
          value += text[j];
          j++;
        }
        j++;
      } else {
        const bare = /^[^\s,]*/.exec(text.slice(j))![0];
        value = bare;
        j += bare.length;
      }
      current.params[token.toLowerCase()] = value;
      i = j;
    } else {
      current = { scheme: token.toLowerCase(), params: {} };
      challenges.push(current);
      i = i + token.length;
    }
  }
  return challenges;
}

function skip(text: string, from: number, pattern: RegExp): number {
  let i = from;
  while (i < text.length && pattern.test(text[i])) i++;
  return i;
}
