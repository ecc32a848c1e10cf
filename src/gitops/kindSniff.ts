/**
 * The API groups whose kinds we validate (the kinds themselves are in kinds/*; a test checks that
 * every one of their groups is here). A file that names none of them in an `apiVersion` gets no
 * diagnostics from us and, in the editor, never loads the language service: this check runs on
 * every YAML file the user opens, in the activation bundle, so it is a text scan that imports
 * nothing, not a parse.
 */
export const OUR_API_GROUPS: readonly string[] = [
  'source.toolkit.fluxcd.io',
  'kustomize.toolkit.fluxcd.io',
  'helm.toolkit.fluxcd.io',
  // Flux 2.7+ source-watcher: ArtifactGenerator composes sources into ExternalArtifacts.
  'source.extensions.fluxcd.io',
  // Flux Operator.
  'fluxcd.controlplane.io',
  'argoproj.io',
];

/**
 * The Kubernetes API versions of Pods and the workloads that template them (core v1 Pod,
 * PodTemplate, ReplicationController, apps/v1 Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * batch/v1 Job, CronJob). We check only their image volumes (kinds/imageVolume.ts), so a file of
 * theirs is ours only when it also holds one.
 */
export const WORKLOAD_API_VERSIONS: readonly string[] = ['v1', 'apps/v1', 'batch/v1'];

const GROUPS = OUR_API_GROUPS.map((g) => g.replace(/\./g, '\\.')).join('|');
const API_VERSION_LINE = new RegExp(`^[ \\t-]*["']?apiVersion["']?[ \\t]*:[ \\t]*["']?(?:${GROUPS})/`, 'm');
const WORKLOAD_API_VERSION_LINE = new RegExp(
  `^[ \\t-]*["']?apiVersion["']?[ \\t]*:[ \\t]*["']?(?:${WORKLOAD_API_VERSIONS.join('|')})["']?[ \\t]*(?:#.*)?\\r?$`,
  'm',
);
/**
 * An `image:` key whose value is a map that starts with `reference` or `pullPolicy`: the image
 * volume source, in block or flow style. A container's `image:` is a string, so it never matches.
 */
const IMAGE_VOLUME_SOURCE =
  /^[ \t-]*["']?image["']?[ \t]*:[ \t]*(?:\{[ \t]*["']?(?:reference|pullPolicy)["']?[ \t]*:|(?:#.*)?\r?\n(?:[ \t]*(?:#.*)?\r?\n)*[ \t]+["']?(?:reference|pullPolicy)["']?[ \t]*:)/m;

/**
 * A line that opens a flow-style document (`{apiVersion: …}`). Only white space within the line may come
 * first: `/^\s*\{/m` reads the same, but its `\s*` runs across line ends from every line start,
 * quadratic in a file of blank lines.
 */
export const FLOW_STYLE_LINE = /^[^\S\n\r\u2028\u2029]*\{/m;

/** True when the text may hold a document of a kind we validate (false positives are fine, false negatives are not). */
export function mayHoldOurKinds(text: string): boolean {
  return API_VERSION_LINE.test(text) || (WORKLOAD_API_VERSION_LINE.test(text) && IMAGE_VOLUME_SOURCE.test(text));
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
