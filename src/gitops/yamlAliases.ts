import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

/** Nodes copied in per document at most: a "billion laughs" document keeps the aliases past it. */
const COPY_BUDGET = 20_000;

/** Nodes that stand where an alias or a merge key was written: copies, not text of their own. */
const copies = new WeakSet<object>();

/** Whether a node is a copy of an anchored node, put where an alias or merge key (`<<`) names it. */
export function isAliasCopy(node: unknown): boolean {
  return typeof node === 'object' && node !== null && copies.has(node);
}

/**
 * Resolves a document's aliases in its syntax tree, so every reader (rules, completion, live
 * checks) sees the values Kubernetes gets: each alias (`*app`) becomes a copy of the node its
 * anchor (`&app`) names, and each merge key (`<<: *defaults`, `<<: [*a, *b]`) becomes the pairs it
 * brings in that the map does not set itself (an earlier source wins over a later one, as in YAML
 * 1.1's merge). A copy keeps the alias's source range, down to its innermost node, so a finding
 * about an aliased value points at the alias. An alias to an anchor not yet closed (a cycle) or
 * past the copy budget is left as it is.
 */
export function resolveAliases(doc: Document.Parsed): void {
  if (!doc.contents || doc.errors.length > 0) return;
  const state = { anchors: new Map<string, Node>(), budget: COPY_BUDGET };
  doc.contents = resolveNode(doc.contents, state) as typeof doc.contents;
}

interface State {
  anchors: Map<string, Node>;
  budget: number;
}

function resolveNode(node: unknown, state: State): unknown {
  if (isAlias(node)) {
    const target = state.anchors.get(node.source);
    if (!target || !node.range) return node;
    const copy = copyAt(target, node.range, state);
    return copy ?? node;
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isNode(pair.key)) pair.key = resolveNode(pair.key, state);
      pair.value = resolveNode(pair.value, state);
    }
    mergeKeys(node);
  } else if (isSeq(node)) {
    node.items = node.items.map((item) => resolveNode(item, state));
  }
  const anchor = (node as { anchor?: string } | undefined)?.anchor;
  if (anchor && isNode(node)) state.anchors.set(anchor, node);
  return node;
}

/** Replaces a map's `<<` pairs by the pairs of the maps they name (already resolved). */
function mergeKeys(map: YAMLMap): void {
  const merges = map.items.filter((pair) => isScalar(pair.key) && pair.key.value === '<<');
  if (merges.length === 0) return;
  const own = new Set(map.items.filter((pair) => !merges.includes(pair)).map((pair) => keyOf(pair)));
  const added: Pair[] = [];
  for (const merge of merges) {
    const sources = isSeq(merge.value) ? merge.value.items : [merge.value];
    if (!sources.every((source) => isMap(source))) continue;
    for (const source of sources as YAMLMap[]) {
      for (const pair of source.items) {
        const key = keyOf(pair);
        if (key === undefined || own.has(key)) continue;
        own.add(key);
        // A map written inline under `<<` is the map's own text; a resolved alias is already a copy.
        added.push(pair);
      }
    }
    map.items.splice(map.items.indexOf(merge), 1);
  }
  map.items.push(...added);
}

function keyOf(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

/** A deep copy of `target` whose every node has the range `range`; undefined past the budget. */
function copyAt(target: Node, range: [number, number, number], state: State): Node | undefined {
  const size = countNodes(target, state.budget + 1);
  if (size > state.budget) return undefined;
  state.budget -= size;
  const copy = target.clone() as Node;
  relocate(copy, range);
  return copy;
}

/**
 * Gives a node brought in from elsewhere (an alias's anchor, a patch of another file) the range
 * `range` down to its innermost node, and marks it as a copy: findings about it point there, and
 * edits never insert into it.
 */
export function relocate(node: unknown, range: [number, number, number]): void {
  if (isPair(node)) {
    relocate(node.key, range);
    relocate(node.value, range);
    copies.add(node);
    return;
  }
  if (!isNode(node)) return;
  node.range = [range[0], range[1], range[2]];
  delete (node as { anchor?: string }).anchor;
  copies.add(node);
  if (isMap(node) || isSeq(node)) for (const item of node.items as unknown[]) relocate(item, range);
}

function countNodes(node: unknown, limit: number): number {
  let count = 0;
  const walk = (n: unknown): void => {
    if (count > limit) return;
    if (isPair(n)) {
      walk(n.key);
      walk(n.value);
      return;
    }
    if (!isNode(n)) return;
    count++;
    if (isMap(n) || isSeq(n)) for (const item of n.items as unknown[]) walk(item);
  };
  walk(node);
  return count;
}

function isNode(value: unknown): value is Node {
  return isScalar(value) || isMap(value) || isSeq(value) || isAlias(value);
}
