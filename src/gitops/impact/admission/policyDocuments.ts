import { isMap } from 'yaml';
import { nodeAt, parseManifests } from '../../documents';
import type { DeclaredAt } from '../contract';

/** A workspace file to read admission policies from. */
export interface PolicyFile {
  file: string;
  text: string;
}

export type Json = Record<string, unknown>;

/** One admission-policy object found in the workspace, with a way to say where any part of it is written. */
export interface PolicyDocument {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  annotations: Record<string, string>;
  spec: Json;
  declaredAt: DeclaredAt;
  /** Where the node at `path` (keys and indexes from the object's root) starts; the object's start when it is absent. */
  at(...path: (string | number)[]): DeclaredAt;
}

const KYVERNO = /^kyverno\.io\//;
const POLICY_CONTROLLER = /^policy\.sigstore\.dev\//;
/** The kinds this module evaluates or reports as out of reach; everything else in those groups is ignored. */
const KINDS: Array<[RegExp, string]> = [
  [KYVERNO, 'ClusterPolicy'],
  [KYVERNO, 'Policy'],
  [/^policies\.kyverno\.io\//, 'ImageValidatingPolicy'],
  [/^policies\.kyverno\.io\//, 'NamespacedImageValidatingPolicy'],
  [POLICY_CONTROLLER, 'ClusterImagePolicy'],
];

/** The admission policies among the files' YAML documents, in file order. Unreadable documents are skipped. */
export function readPolicyDocuments(files: PolicyFile[]): PolicyDocument[] {
  const found: PolicyDocument[] = [];
  for (const { file, text } of files) {
    if (!/kyverno\.io|policy\.sigstore\.dev/.test(text)) continue;
    const parsed = parseManifests(text);
    for (const { doc, apiVersion, kind } of parsed.documents) {
      if (!apiVersion || !kind || !KINDS.some(([group, k]) => group.test(apiVersion) && k === kind)) continue;
      const root = doc.contents;
      if (!isMap(root)) continue;
      const value = doc.toJS({ maxAliasCount: 100 }) as Json;
      const metadata = isObject(value.metadata) ? value.metadata : {};
      const lineOf = (node: unknown): number | undefined => {
        const range = (node as { range?: [number, number, number] } | undefined)?.range;
        return range ? parsed.lineCounter.linePos(range[0]).line : undefined;
      };
      const declaredAt = { file, line: lineOf(root) ?? 1 };
      found.push({
        apiVersion,
        kind,
        name: typeof metadata.name === 'string' ? metadata.name : '(unnamed)',
        namespace: typeof metadata.namespace === 'string' ? metadata.namespace : undefined,
        annotations: isObject(metadata.annotations) ? stringValues(metadata.annotations) : {},
        spec: isObject(value.spec) ? value.spec : {},
        declaredAt,
        at: (...path) => ({ file, line: lineOf(nodeAt(root, ...path)) ?? declaredAt.line }),
      });
    }
  }
  return found;
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objects(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function stringValues(map: Json): Record<string, string> {
  return Object.fromEntries(Object.entries(map).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
