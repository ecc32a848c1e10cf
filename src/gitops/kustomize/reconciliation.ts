import { dirname, resolve, sep } from 'node:path';
import { isMap, parseAllDocuments, parseDocument } from 'yaml';
import { applyTo, type AppliedBy } from './appliedBy';
import { fluxPatchesOf } from './fluxPatches';
import { isKustomizationFile, KUSTOMIZATION_FILE_NAMES } from './kustomizeIndex';
import { nodeAt, scalarString } from '../documents';
import { kindOf } from '../kinds';
import { kustomization } from '../kinds/kustomization';
import { resolveAliases } from '../yamlAliases';

const FLUX_KUSTOMIZATION = /^apiVersion:\s*["']?kustomize\.toolkit\.fluxcd\.io\//m;

/** A Flux Kustomization found in a file, as written. */
interface FluxKustomization {
  file: string;
  /** The document's text, to apply its parent's patches to. */
  text: string;
  id: string;
}

/**
 * What one kustomization builds: each file, with the kustomize namespaces set over it (a
 * component several kustomizations include is built once in each of their namespaces; undefined
 * where none is set).
 */
type Tree = Map<string, Set<string | undefined>>;

/**
 * The picture of what applies each file of a workspace (or of the folders given to the CLI): the
 * Flux Kustomizations whose source is the repository itself (`sourceRef` a GitRepository, `path`
 * from the repository root) and the kustomization.yaml files they and others build. Paths are
 * absolute; `files` holds every YAML file known (kustomization files included) with its text.
 *
 * The repository root is not given: a Kustomization's path is resolved against its own folder and
 * each folder above it, and the first where that folder holds known files wins, so a fleet
 * vendored inside another repository resolves as it does on its own.
 */
export class Reconciliation {
  private readonly files: ReadonlyMap<string, string>;
  private readonly folders = new Set<string>();
  private readonly trees = new Map<string, Tree>();
  private readonly applied = new Map<string, AppliedBy[]>();
  /** Folders built as part of another kustomization (not roots of a build). */
  private readonly nested = new Set<string>();

  constructor(files: ReadonlyMap<string, string>) {
    this.files = new Map([...files].map(([path, text]) => [resolve(path), text]));
    for (const path of this.files.keys())
      for (let dir = dirname(path); !this.folders.has(dir); dir = dirname(dir)) {
        this.folders.add(dir);
        if (dirname(dir) === dir) break;
      }
    this.build();
  }

  /** What applies a file (the first of its applications); undefined when nothing in the picture does. */
  appliedBy(path: string): AppliedBy | undefined {
    return this.applied.get(resolve(path))?.[0];
  }

  /** Every way a file is applied: a component is built in the namespace of each kustomization that includes it. */
  appliedByAll(path: string): AppliedBy[] {
    return this.applied.get(resolve(path)) ?? [];
  }

  /**
   * A file's text once per way it is applied, for indexing the sources it declares in each
   * namespace it lands in (indexSources).
   */
  declaring(path: string, text: string): { text: string; appliedBy?: AppliedBy }[] {
    const all = this.appliedByAll(path);
    return all.length > 0 ? all.map((appliedBy) => ({ text, appliedBy })) : [{ text }];
  }

  private apply(file: string, appliedBy: AppliedBy): void {
    const list = this.applied.get(file) ?? [];
    const key = JSON.stringify(appliedBy);
    if (!list.some((known) => JSON.stringify(known) === key)) list.push(appliedBy);
    this.applied.set(file, list);
  }

  private build(): void {
    const kustomizations = this.fluxKustomizations();
    // Which Kustomization applies which, from the paths as written (a parent seldom patches a path).
    const written = new Map(kustomizations.map((k) => [k, specOf(k.text)]));
    const applierOf = new Map<string, FluxKustomization>();
    for (const k of kustomizations)
      for (const file of this.treeOfKustomization(k, written.get(k)).keys()) if (!applierOf.has(file)) applierOf.set(file, k);
    // Each Kustomization as its parent's patches leave it: a parent often adds interval, prune,
    // postBuild or targetNamespace to every child.
    for (const k of kustomizations) {
      const parent = applierOf.get(k.file);
      const patches = parent ? fluxPatchesOf(written.get(parent)) : [];
      const spec = parent && patches.length > 0 ? specOf(k.text, { kustomization: parent.id, patches }) : written.get(k);
      const tree = this.treeOfKustomization(k, spec);
      const postBuild = isRecord(spec) && isRecord(spec.postBuild) ? spec.postBuild : undefined;
      const appliedBy: AppliedBy = {
        kustomization: k.id,
        patches: fluxPatchesOf(spec),
        substitutes: postBuild !== undefined && (isRecord(postBuild.substitute) || Array.isArray(postBuild.substituteFrom)),
        ...(isRecord(spec) && typeof spec.targetNamespace === 'string' && spec.targetNamespace
          ? { targetNamespace: spec.targetNamespace }
          : {}),
      };
      for (const [file, namespaces] of tree)
        for (const namespace of namespaces) this.apply(file, { ...appliedBy, ...(namespace ? { kustomizeNamespace: namespace } : {}) });
    }
    // Files only kustomize builds (no Flux Kustomization in the picture): the namespace of each
    // build that includes them still holds.
    const roots = [...this.files.keys()].filter(isKustomizationFile).map((path) => dirname(path));
    const trees = roots.map((dir) => this.treeOf(dir, new Set()));
    roots.forEach((dir, index) => {
      if (this.nested.has(dir)) return;
      for (const [file, namespaces] of trees[index]) {
        if (this.applied.get(file)?.some((a) => a.kustomization !== undefined)) continue;
        for (const namespace of namespaces) if (namespace) this.apply(file, { patches: [], kustomizeNamespace: namespace });
      }
    });
  }

  private fluxKustomizations(): FluxKustomization[] {
    const out: FluxKustomization[] = [];
    for (const [file, text] of [...this.files].sort(([a], [b]) => a.localeCompare(b))) {
      if (!FLUX_KUSTOMIZATION.test(text)) continue;
      const docs = parseAllDocuments(text, { prettyErrors: false, logLevel: 'silent' });
      for (const doc of Array.isArray(docs) ? docs : []) {
        const root = doc.contents;
        if (!isMap(root) || doc.errors.length > 0) continue;
        if (kindOf(scalarString(root.get('apiVersion', true)), scalarString(root.get('kind', true))) !== kustomization) continue;
        const name = scalarString(nodeAt(root, 'metadata', 'name')) ?? '';
        const namespace = scalarString(nodeAt(root, 'metadata', 'namespace')) ?? 'default';
        const range = doc.range;
        out.push({ file, text: text.slice(range[0], range[2]), id: `${namespace}/${name}` });
      }
    }
    return out;
  }

  /** The files a Flux Kustomization builds, when its source is this repository and its path is here. */
  private treeOfKustomization(k: FluxKustomization, spec: unknown): Tree {
    if (!isRecord(spec) || !isRecord(spec.sourceRef) || spec.sourceRef.kind !== 'GitRepository') return new Map();
    const path = typeof spec.path === 'string' && spec.path.trim() !== '' ? spec.path.trim() : undefined;
    // A path holding a postBuild variable, or none at all (the repository root, which is not known), names no folder.
    if (!path || path.includes('${')) return new Map();
    const components = Array.isArray(spec.components) ? spec.components.filter((c): c is string => typeof c === 'string') : [];
    for (let dir = dirname(k.file); ; dir = dirname(dir)) {
      const candidate = resolve(dir, path.replace(/^\/+/, ''));
      if (!this.folders.has(candidate)) {
        if (dirname(dir) === dir) return new Map();
        continue;
      }
      // spec.components are kustomize components of the build, relative to its path.
      const tree = new Map(this.treeOf(candidate, new Set()));
      for (const component of components) merge(tree, this.treeOf(resolve(candidate, component), new Set()));
      return tree;
    }
  }

  /**
   * What kustomize builds from a folder: with a kustomization, its resources and components
   * (folders among them built the same way) under its namespace; without one, every YAML file
   * under it, as kustomize-controller generates a kustomization for such a folder.
   */
  private treeOf(dir: string, visiting: Set<string>): Tree {
    const cached = this.trees.get(dir);
    if (cached) return cached;
    if (visiting.has(dir)) return new Map();
    visiting.add(dir);
    const tree: Tree = new Map();
    const file = KUSTOMIZATION_FILE_NAMES.map((name) => resolve(dir, name)).find((path) => this.files.has(path));
    if (!file) {
      // Folders below with a kustomization of their own are built by it (kustomize-controller's
      // generator adds the folder as a resource and does not walk into it).
      const prefix = dir.endsWith(sep) ? dir : dir + sep;
      const built = [...this.files.keys()]
        .filter((path) => path.startsWith(prefix) && isKustomizationFile(path))
        .map((path) => dirname(path) + sep);
      const top = built.filter((folder) => !built.some((other) => other !== folder && folder.startsWith(other)));
      for (const path of this.files.keys())
        if (path.startsWith(prefix) && !isKustomizationFile(path) && !built.some((folder) => path.startsWith(folder)))
          tree.set(path, new Set([undefined]));
      for (const folder of top) merge(tree, this.subtree(folder.slice(0, -1), visiting));
    } else {
      const config = readKustomization(this.files.get(file)!);
      for (const entry of [...config.resources, ...config.components]) {
        const path = resolve(dir, entry);
        if (this.files.has(path)) merge(tree, new Map([[path, new Set([undefined])]]));
        else if (this.folders.has(path)) merge(tree, this.subtree(path, visiting));
      }
      // The outermost namespace wins: kustomize's namespace transformer runs on the whole build.
      if (config.namespace) for (const key of tree.keys()) tree.set(key, new Set([config.namespace]));
    }
    visiting.delete(dir);
    this.trees.set(dir, tree);
    return tree;
  }

  private subtree(dir: string, visiting: Set<string>): Tree {
    this.nested.add(dir);
    return this.treeOf(dir, visiting);
  }
}

/** Adds what `more` builds to `tree`. */
function merge(tree: Tree, more: Tree): void {
  for (const [file, namespaces] of more) {
    const known = tree.get(file);
    tree.set(file, known ? new Set([...known, ...namespaces]) : new Set(namespaces));
  }
}

/** A Flux Kustomization's spec, after the patches of what applies it. */
function specOf(text: string, appliedBy?: AppliedBy): unknown {
  const doc = parseDocument(text, { prettyErrors: false, logLevel: 'silent' });
  resolveAliases(doc);
  if (appliedBy) applyTo(doc, appliedBy);
  try {
    const object = doc.toJS({ maxAliasCount: 100 }) as unknown;
    return isRecord(object) ? object.spec : undefined;
  } catch {
    return undefined;
  }
}

function readKustomization(text: string): { resources: string[]; components: string[]; namespace?: string } {
  let config: unknown;
  try {
    config = parseDocument(text, { prettyErrors: false, logLevel: 'silent' }).toJS({ maxAliasCount: 100 });
  } catch {
    config = undefined;
  }
  const strings = (value: unknown) =>
    (Array.isArray(value) ? value : []).filter(
      (entry): entry is string => typeof entry === 'string' && entry.trim() !== '' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(entry),
    );
  if (!isRecord(config)) return { resources: [], components: [] };
  return {
    resources: [...strings(config.resources), ...strings(config.bases)],
    components: strings(config.components),
    ...(typeof config.namespace === 'string' && config.namespace ? { namespace: config.namespace } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
