/**
 * The kinds we validate, by API group. Everything else (Deployments, ConfigMaps, Argo Rollouts and
 * ApplicationSets, kustomize's own Kustomization, Flux kinds we have no checks for) is left to
 * other tools: it gets no diagnostics from us, not even for its YAML syntax.
 */
export const OUR_KINDS: Readonly<Record<string, readonly string[]>> = {
  'source.toolkit.fluxcd.io': ['OCIRepository', 'ExternalArtifact'],
  'kustomize.toolkit.fluxcd.io': ['Kustomization'],
  'helm.toolkit.fluxcd.io': ['HelmRelease'],
  // Flux 2.7+ source-watcher: ArtifactGenerator composes sources into ExternalArtifacts.
  'source.extensions.fluxcd.io': ['ArtifactGenerator'],
  // Flux Operator.
  'fluxcd.controlplane.io': ['FluxInstance', 'ResourceSet'],
  'argoproj.io': ['Application'],
};

/**
 * The API groups whose kinds we validate. A file that names none of them in an `apiVersion` gets
 * no diagnostics from us and, in the editor, never loads the language service: this check runs on
 * every YAML file the user opens, so it is a text scan, not a parse.
 */
export const OUR_API_GROUPS = Object.keys(OUR_KINDS);

const GROUPS = OUR_API_GROUPS.map((g) => g.replace(/\./g, '\\.')).join('|');
const API_VERSION_LINE = new RegExp(`^[ \\t-]*["']?apiVersion["']?[ \\t]*:[ \\t]*["']?(?:${GROUPS})/`, 'm');

/** True when the text may hold a document of a kind we validate (false positives are fine, false negatives are not). */
export function mayHoldOurKinds(text: string): boolean {
  return API_VERSION_LINE.test(text);
}

/** Whether `apiVersion` and `kind` name a kind we validate; an unknown kind in one of our groups counts while it is being typed. */
export function isOurKind(apiVersion: string | undefined, kind: string | undefined): boolean {
  const group = apiVersion?.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : undefined;
  const kinds = group !== undefined ? OUR_KINDS[group] : undefined;
  if (!kinds) return false;
  return kind === undefined || kind === '' || kinds.includes(kind);
}

/**
 * The top-level `apiVersion` and `kind` of one document's text, read from its lines (for a
 * document whose syntax errors keep the parser from telling).
 */
export function sniffKind(documentText: string): { apiVersion?: string; kind?: string } {
  const apiVersion = /^["']?apiVersion["']?[ \t]*:[ \t]*["']?([A-Za-z0-9./-]+)/m.exec(documentText)?.[1];
  const kind = /^["']?kind["']?[ \t]*:[ \t]*["']?([A-Za-z0-9]+)/m.exec(documentText)?.[1];
  return { ...(apiVersion ? { apiVersion } : {}), ...(kind ? { kind } : {}) };
}
