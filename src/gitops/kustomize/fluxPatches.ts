import { isMap, isSeq, Pair, parseDocument, Scalar, type Document, type Node, type YAMLMap } from 'yaml';
import { nodeAt, pairOf, scalarString } from '../documents';
import { relocate } from '../yamlAliases';

/**
 * Which objects a patch applies to (a Flux Kustomization's `spec.patches[].target`, kustomize's
 * Selector): kind, name, namespace, group and version are regular expressions matched whole
 * (kustomize api/types/selector.go anchorRegex), the selectors are label selector expressions.
 * A field left out matches every object.
 */
export interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

/** One entry of a Flux Kustomization's `spec.patches`: a strategic merge patch or a JSON 6902 patch, as YAML text. */
export interface FluxPatch {
  patch: string;
  target?: PatchTarget;
}

/** The patches of a Flux Kustomization's spec (its `spec.patches`, read from toJS). */
export function fluxPatchesOf(spec: unknown): FluxPatch[] {
  const list = isRecord(spec) && Array.isArray(spec.patches) ? spec.patches : [];
  return list.flatMap((entry): FluxPatch[] => {
    if (!isRecord(entry) || typeof entry.patch !== 'string') return [];
    const target = isRecord(entry.target) ? entry.target : undefined;
    if (!target) return [{ patch: entry.patch }];
    const picked: PatchTarget = {};
    for (const key of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const)
      if (typeof target[key] === 'string' && target[key] !== '') picked[key] = target[key];
    return [{ patch: entry.patch, target: picked }];
  });
}

/**
 * Applies a patch to a document of another file when its target selects the object (a strategic
 * merge patch without a target selects the object of its own kind and name). What the patch
 * brings in gets the range `at` (the patch's text is elsewhere). Returns the keys it set, or
 * undefined when it does not apply.
 */
export function applyPatch(doc: Document.Parsed, patch: FluxPatch, at: [number, number, number]): Set<string> | undefined {
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  let body: unknown;
  try {
    body = parseDocument(patch.patch, { prettyErrors: false, logLevel: 'silent', merge: true }).toJS({ maxAliasCount: 100 });
  } catch {
    return undefined;
  }
  const added = new Set<string>();
  if (Array.isArray(body)) {
    if (!patch.target || !selects(root, patch.target)) return undefined;
    for (const op of body) if (isRecord(op)) applyOperation(doc, root, op, at, added);
    return added;
  }
  if (!isRecord(body)) return undefined;
  const target = patch.target ?? ownTarget(body);
  if (!target || !selects(root, target)) return undefined;
  // Identity fields of a targeted patch name nothing to change (kustomize overwrites them with the target's).
  const { apiVersion: _apiVersion, kind: _kind, ...fields } = body;
  const metadata = isRecord(fields.metadata) ? { ...fields.metadata } : undefined;
  if (metadata) {
    delete metadata.name;
    delete metadata.namespace;
    fields.metadata = metadata;
  }
  mergeInto(doc, root, fields, at, added);
  return added;
}

/** Whether an object's identity, labels and annotations satisfy a target. */
export function selects(root: YAMLMap, target: PatchTarget): boolean {
  const apiVersion = scalarString(root.get('apiVersion', true)) ?? '';
  const slash = apiVersion.lastIndexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  const whole = (pattern: string | undefined, value: string) => {
    if (pattern === undefined) return true;
    try {
      return new RegExp(`^(?:${pattern})$`).test(value);
    } catch {
      return false;
    }
  };
  return (
    whole(target.group, group) &&
    whole(target.version, version) &&
    whole(target.kind, scalarString(root.get('kind', true)) ?? '') &&
    whole(target.name, scalarString(nodeAt(root, 'metadata', 'name')) ?? '') &&
    whole(target.namespace, scalarString(nodeAt(root, 'metadata', 'namespace')) ?? '') &&
    matchesSelector(target.labelSelector, stringMap(nodeAt(root, 'metadata', 'labels'))) &&
    matchesSelector(target.annotationSelector, stringMap(nodeAt(root, 'metadata', 'annotations')))
  );
}

/**
 * A Kubernetes label selector expression (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`,
 * `a`, `!a`, joined by commas) against a set of labels; `!=` and `notin` hold for an object
 * without the label. An expression that does not parse selects nothing.
 */
export function matchesSelector(expression: string | undefined, labels: Map<string, string>): boolean {
  if (expression === undefined || expression.trim() === '') return true;
  const requirements = expression.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  return requirements.every((raw) => {
    const requirement = raw.trim();
    const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(requirement);
    if (set) {
      const values = set[3].split(',').map((v) => v.trim());
      const value = labels.get(set[1]);
      return set[2] === 'in' ? value !== undefined && values.includes(value) : value === undefined || !values.includes(value);
    }
    const compare = /^([^\s!=]+)\s*(==|=|!=)\s*(\S*)$/.exec(requirement);
    if (compare) {
      const value = labels.get(compare[1]);
      return compare[2] === '!=' ? value !== compare[3] : value === compare[3];
    }
    if (/^![^\s!=]+$/.test(requirement)) return !labels.has(requirement.slice(1));
    if (/^[^\s!=]+$/.test(requirement)) return labels.has(requirement);
    return false;
  });
}

function ownTarget(body: Record<string, unknown>): PatchTarget | undefined {
  const metadata = isRecord(body.metadata) ? body.metadata : {};
  if (typeof body.kind !== 'string' || typeof metadata.name !== 'string') return undefined;
  const quote = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return {
    kind: quote(body.kind),
    name: quote(metadata.name),
    ...(typeof metadata.namespace === 'string' ? { namespace: quote(metadata.namespace) } : {}),
  };
}

/** Strategic merge for custom resources: maps merge, `null` deletes, lists and scalars replace. */
function mergeInto(
  doc: Document.Parsed,
  map: YAMLMap,
  patch: Record<string, unknown>,
  at: [number, number, number],
  added: Set<string>,
): void {
  if (patch.$patch === 'replace') map.items = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    const existing = pairOf(map, key);
    if (value === null) {
      if (existing) map.items.splice(map.items.indexOf(existing), 1);
      continue;
    }
    if (isRecord(value) && existing && isMap(existing.value) && value.$patch !== 'replace') {
      mergeInto(doc, existing.value, value, at, added);
      continue;
    }
    setPair(doc, map, key, value, at, added);
  }
}

/** One JSON 6902 operation (add, replace, remove); a path that does not resolve changes nothing. */
function applyOperation(
  doc: Document.Parsed,
  root: YAMLMap,
  op: Record<string, unknown>,
  at: [number, number, number],
  added: Set<string>,
): void {
  if (typeof op.path !== 'string' || !op.path.startsWith('/')) return;
  const tokens = op.path
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = tokens.pop()!;
  let parent: unknown = root;
  for (const token of tokens) parent = isSeq(parent) ? parent.items[Number(token)] : isMap(parent) ? parent.get(token, true) : undefined;
  if (isMap(parent)) {
    if (op.op === 'remove') parent.delete(last);
    else if (op.op === 'add' || (op.op === 'replace' && parent.has(last))) setPair(doc, parent, last, op.value, at, added);
  } else if (isSeq(parent)) {
    const index = last === '-' ? parent.items.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.items.length) return;
    if (op.op === 'remove') parent.items.splice(index, 1);
    else if (op.op === 'add' || op.op === 'replace') {
      const node = placed(doc, op.value, at);
      parent.items.splice(index, op.op === 'replace' ? 1 : 0, node);
    }
  }
}

function setPair(doc: Document.Parsed, map: YAMLMap, key: string, value: unknown, at: [number, number, number], added: Set<string>): void {
  const node = placed(doc, value, at);
  const existing = pairOf(map, key);
  if (existing) existing.value = node;
  else {
    const pair = new Pair(new Scalar(key), node);
    relocate(pair.key, at);
    map.items.push(pair);
  }
  added.add(key);
}

function placed(doc: Document.Parsed, value: unknown, at: [number, number, number]): Node {
  const node = doc.createNode(value) as Node;
  relocate(node, at);
  return node;
}

function stringMap(node: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (isMap(node))
    for (const pair of node.items) {
      const key = scalarString(pair.key);
      const value = scalarString(pair.value);
      if (key !== undefined) out.set(key, value ?? '');
    }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
