import { isMap, isScalar, isSeq, YAMLMap, type Node, type Pair } from 'yaml';
import { nodeAt, pairOf } from '../documents';

/**
 * Whether a value holds a template action, the way the ApplicationSet controller tells a templated
 * string (argo-cd applicationset/utils/utils.go, isTemplatedRegex `.*{{.*}}.*`): `{{name}}` and
 * `{{ .path.basename }}` alike. Such a value is known only once a generator's parameters fill it in.
 */
export function holdsTemplateAction(value: unknown): boolean {
  return typeof value === 'string' && /\{\{[\s\S]*\}\}/.test(value);
}

/** A scalar node whose value holds a template action: there, but unknown until rendered. */
export function isTemplatedNode(node: Node): boolean {
  return isScalar(node) && holdsTemplateAction(node.value);
}

/** An Application template of an ApplicationSet, seen as the Application it makes. */
export interface ApplicationTemplate {
  /** Keys and indexes from the ApplicationSet's root to the template map. */
  path: (string | number)[];
  /** The template's `template:` key, where findings about the template as a whole go. */
  keyRange: [number, number];
  /** A map holding the template's own `metadata` and `spec` pairs: the Application, with the template's ranges. */
  application: YAMLMap;
  /** Whether it is the ApplicationSet's own template (a whole Application), not a generator's override (a partial one). */
  own: boolean;
}

/** The Application an ApplicationSet's template (or a generator's template override) describes. */
export function applicationOf(template: YAMLMap): YAMLMap {
  const application = new YAMLMap();
  for (const key of ['metadata', 'spec']) {
    const pair = pairOf(template, key);
    if (pair) application.items.push(pair as Pair<unknown, unknown>);
  }
  return application;
}

// Generators whose template overrides the ApplicationSet's for what they make. The children of a
// matrix or merge have none that counts (their templates are not processed).
const OVERRIDING = ['list', 'clusters', 'git', 'scmProvider', 'pullRequest', 'clusterDecisionResource', 'plugin', 'matrix', 'merge'];

/** spec.template and every top-level generator's template override. */
export function applicationTemplates(root: YAMLMap): ApplicationTemplate[] {
  const out: ApplicationTemplate[] = [];
  const add = (path: (string | number)[], own: boolean) => {
    const template = nodeAt(root, ...path);
    const parent = nodeAt(root, ...path.slice(0, -1));
    const key = pairOf(parent, path[path.length - 1] as string)?.key as Node | undefined;
    if (isMap(template) && key?.range)
      out.push({ path, keyRange: [key.range[0], key.range[1]], application: applicationOf(template), own });
  };
  add(['spec', 'template'], true);
  const generators = nodeAt(root, 'spec', 'generators');
  if (isSeq(generators))
    generators.items.forEach((item, index) => {
      if (!isMap(item)) return;
      for (const generator of OVERRIDING) if (item.has(generator)) add(['spec', 'generators', index, generator, 'template'], false);
    });
  return out;
}

/**
 * How many leading elements of a path (keys, indexes, or `-` for a list item) lead to a template:
 * 2 for spec.template, 5 for a generator's override (spec.generators[i].list.template).
 */
export function templateDepth(path: readonly (string | number)[]): number | undefined {
  if (path[0] !== 'spec') return undefined;
  if (path[1] === 'template') return 2;
  if (
    path[1] === 'generators' &&
    (typeof path[2] === 'number' || path[2] === '-') &&
    OVERRIDING.includes(String(path[3])) &&
    path[4] === 'template'
  )
    return 5;
  return undefined;
}
