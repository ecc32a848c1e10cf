/**
 * The API groups whose kinds we validate. A file that names none of them in an `apiVersion` gets
 * no diagnostics from us and, in the editor, never loads the language service: this check runs on
 * every YAML file the user opens, so it is a text scan, not a parse.
 */
export const OUR_API_GROUPS = [
  'source.toolkit.fluxcd.io',
  'kustomize.toolkit.fluxcd.io',
  'helm.toolkit.fluxcd.io',
  'argoproj.io',
] as const;

const API_VERSION_LINE = new RegExp(`^[ \\t-]*["']?apiVersion["']?[ \\t]*:[ \\t]*["']?(?:${OUR_API_GROUPS.map((g) => g.replace(/\./g, '\\.')).join('|')})/`, 'm');

/** True when the text may hold a document of a kind we validate (false positives are fine, false negatives are not). */
export function mayHoldOurKinds(text: string): boolean {
  return API_VERSION_LINE.test(text);
}
