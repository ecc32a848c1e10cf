import { isMap, isPair, isScalar, isSeq, parseDocument, visit, type Pair, type YAMLMap } from 'yaml';
import { splitDocuments } from '../documentChunks';
import { nodeAt, scalarString } from '../documents';
import type { SemverController } from '../semver';

/** A registry repository a field points into. */
export interface RepositoryRef {
  host: string;
  repository: string;
}

/** What the registry can offer at the cursor, and the span of text a choice replaces. */
export type CompletionSite =
  | { kind: 'registry-or-repository'; typed: string; start: number; end: number; ociScheme: boolean; field: string }
  | { kind: 'tag'; repo: RepositoryRef; typed: string; start: number; end: number; field: string; helm: boolean }
  | {
      kind: 'version';
      repo: RepositoryRef;
      typed: string;
      start: number;
      end: number;
      field: string;
      controller: SemverController;
      helm: boolean;
      filter?: string;
    }
  | { kind: 'digest'; repo: RepositoryRef; typed: string; start: number; end: number; field: string };

/** The value under the cursor of a `key: value` pair, with the document it sits in. */
interface ValueAt {
  root: YAMLMap;
  /** Keys and sequence indexes from the document root to the pair. */
  path: (string | number)[];
  /** The map that holds the pair. */
  parent: YAMLMap;
  typed: string;
  start: number;
  end: number;
}

/**
 * The pair whose key sits on the cursor's line before the cursor, when the cursor is in (or right
 * after) its value: `tag: ` and `tag: 1.2` both qualify. Offsets are in the whole file.
 */
function valueAt(text: string, offset: number): ValueAt | undefined {
  const chunk = splitDocuments(text).find((c) => offset >= c.offset && offset <= c.offset + c.text.length);
  if (!chunk) return undefined;
  const local = offset - chunk.offset;
  const doc = parseDocument(chunk.text, { keepSourceTokens: false });
  if (!isMap(doc.contents)) return undefined;
  const lineStart = chunk.text.lastIndexOf('\n', local - 1) + 1;
  const lineEndRaw = chunk.text.indexOf('\n', local);
  const lineEnd = lineEndRaw === -1 ? chunk.text.length : lineEndRaw;
  let found: { pair: Pair; path: (string | number)[]; parent: YAMLMap } | undefined;
  visit(doc, {
    Pair(_, pair, ancestors) {
      const key = pair.key;
      if (!isScalar(key) || !key.range) return undefined;
      if (key.range[0] < lineStart || key.range[1] > local || key.range[0] > lineEnd) return undefined;
      const value = pair.value as { range?: [number, number, number] } | null;
      // A value that is not a scalar counts only when it starts on this line: `digest: sha256:` reads as a map while typed.
      if (value && !isScalar(value) && !(value.range && value.range[0] <= lineEnd)) return undefined;
      const path: (string | number)[] = [];
      let parent: YAMLMap | undefined;
      for (let i = 0; i < ancestors.length; i++) {
        const node = ancestors[i];
        if (isPair(node) && isScalar(node.key)) path.push(String(node.key.value));
        if (isSeq(node)) {
          const child = ancestors[i + 1];
          path.push(node.items.indexOf(child as never));
        }
        if (isMap(node)) parent = node;
      }
      path.push(String(key.value));
      if (parent) found = { pair, path, parent };
      return visit.BREAK;
    },
  });
  if (!found) return undefined;
  const value = found.pair.value;
  const keyEnd = (found.pair.key as { range: [number, number, number] }).range[1];
  let start: number;
  let end: number;
  let typed: string;
  if (isScalar(value) && value.range && value.range[0] < lineEnd && value.source !== undefined) {
    start = value.range[0];
    end = value.range[1];
    // Quotes are kept around the choice: complete what is inside them.
    const raw = chunk.text.slice(start, end);
    if (/^["']/.test(raw)) {
      start += 1;
      end = Math.max(start, end - (/["']$/.test(raw) && raw.length > 1 ? 1 : 0));
    }
    if (local < start || local > end) return undefined;
    typed = chunk.text.slice(start, local);
  } else {
    const afterColon = chunk.text.slice(keyEnd, lineEnd).match(/^\s*:\s*/);
    if (!afterColon) return undefined;
    start = keyEnd + afterColon[0].length;
    end = Math.max(start, lineEnd);
    if (local < start) return undefined;
    typed = chunk.text.slice(start, local);
  }
  return { root: doc.contents, path: found.path, parent: found.parent, typed, start: start + chunk.offset, end: end + chunk.offset };
}

function splitRepository(text: string): RepositoryRef | undefined {
  const cleaned = text.replace(/^oci:\/\//, '').replace(/\/+$/, '');
  const slash = cleaned.indexOf('/');
  if (slash <= 0) return undefined;
  const host = cleaned.slice(0, slash);
  const repository = cleaned.slice(slash + 1).replace(/[:@].*$/, '');
  if (!repository || !/^[a-z0-9]+([._/-][a-z0-9]+|__[a-z0-9]+|-+[a-z0-9]+)*$/.test(repository)) return undefined;
  return { host, repository };
}

function samePath(path: (string | number)[], ...expected: (string | number)[]): boolean {
  return path.length === expected.length && path.every((p, i) => p === expected[i]);
}

/**
 * Which registry answer fits the value under the cursor: registries and repositories for a url,
 * tags, versions or digests for a ref, in Flux OCIRepository, FluxInstance `spec.sync`, and Argo CD
 * Application sources (OCI with `path`, and Helm-OCI with `chart`).
 */
export function completionSiteAt(text: string, offset: number): CompletionSite | undefined {
  const at = valueAt(text, offset);
  if (!at) return undefined;
  const kind = scalarString(at.root.get('kind', true));
  const apiVersion = scalarString(at.root.get('apiVersion', true)) ?? '';
  const { path, typed, start, end } = at;
  const field = path.join('.');
  if (kind === 'OCIRepository' && apiVersion.startsWith('source.toolkit.fluxcd.io/')) {
    if (samePath(path, 'spec', 'url')) return { kind: 'registry-or-repository', typed, start, end, ociScheme: true, field };
    const repo = splitRepository(scalarString(nodeAt(at.root, 'spec', 'url')) ?? '');
    if (!repo) return undefined;
    if (samePath(path, 'spec', 'ref', 'tag')) return { kind: 'tag', repo, typed, start, end, field, helm: false };
    if (samePath(path, 'spec', 'ref', 'digest')) return { kind: 'digest', repo, typed, start, end, field };
    if (samePath(path, 'spec', 'ref', 'semver')) {
      const filter = scalarString(nodeAt(at.root, 'spec', 'ref', 'semverFilter'));
      return { kind: 'version', repo, typed, start, end, field, controller: 'flux-oci', helm: false, ...(filter ? { filter } : {}) };
    }
    return undefined;
  }
  if (kind === 'FluxInstance' && apiVersion.startsWith('fluxcd.controlplane.io/')) {
    const syncKind = scalarString(nodeAt(at.root, 'spec', 'sync', 'kind'));
    if (syncKind !== undefined && syncKind !== 'OCIRepository') return undefined;
    if (samePath(path, 'spec', 'sync', 'url')) return { kind: 'registry-or-repository', typed, start, end, ociScheme: true, field };
    const repo = splitRepository(scalarString(nodeAt(at.root, 'spec', 'sync', 'url')) ?? '');
    // The operator writes ref into the OCIRepository's spec.ref.tag.
    if (repo && samePath(path, 'spec', 'sync', 'ref')) return { kind: 'tag', repo, typed, start, end, field, helm: false };
    return undefined;
  }
  if (kind === 'Application' && apiVersion.startsWith('argoproj.io/')) {
    const inSource = path.length === 3 && path[0] === 'spec' && path[1] === 'source';
    const inSources = path.length === 4 && path[0] === 'spec' && path[1] === 'sources' && typeof path[2] === 'number';
    if (!inSource && !inSources) return undefined;
    const key = path[path.length - 1];
    const repoURL = scalarString(at.parent.get('repoURL', true)) ?? '';
    const chart = scalarString(at.parent.get('chart', true));
    if (key === 'repoURL') {
      // Helm-OCI sources name the registry without a scheme; OCI sources need oci://.
      return { kind: 'registry-or-repository', typed, start, end, ociScheme: chart === undefined, field };
    }
    if (key !== 'targetRevision') return undefined;
    if (chart) {
      const base = splitRepository(`${repoURL.replace(/^oci:\/\//, '')}/${chart}`);
      if (!base) return undefined;
      if (typed.startsWith('sha256:')) return { kind: 'digest', repo: base, typed, start, end, field };
      return { kind: 'version', repo: base, typed, start, end, field, controller: 'argo', helm: true };
    }
    if (!repoURL.startsWith('oci://')) return undefined;
    const repo = splitRepository(repoURL);
    if (!repo) return undefined;
    if (typed.startsWith('sha256:')) return { kind: 'digest', repo, typed, start, end, field };
    return { kind: 'tag', repo, typed, start, end, field, helm: false };
  }
  return undefined;
}
