/**
 * `text` without the slashes it ends with. `text.replace(/\/+$/, '')` reads the same but a backtracking
 * engine retries the run of slashes from each of its positions: quadratic on a long run of slashes
 * that a YAML file or a registry can supply.
 */
export function withoutTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x2f) end--;
  return text.slice(0, end);
}

/** `text` up to the first of `characters` (all of it when none occurs). */
export function beforeFirst(text: string, characters: string): string {
  for (let i = 0; i < text.length; i++) if (characters.includes(text[i])) return text.slice(0, i);
  return text;
}
