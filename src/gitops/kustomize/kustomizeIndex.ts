import { basename, dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';

/**
 * What a kustomization makes of a file: a `patch` is a partial object merged into another one (its
 * required fields live in the object it patches); a `resource` is a whole object.
 */
export type FileRole = 'patch' | 'resource';

/** The file names kustomize reads as a kustomization, in the order it tries them. */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export function isKustomizationFile(path: string): boolean {
  return (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(basename(path));
}

/** The files one kustomization (or kustomize Component) names, as absolute paths. */
export interface KustomizationEntries {
  /** `patches[].path`, `patchesStrategicMerge[]` and `patchesJson6902[].path`. */
  patches: string[];
  /** `resources[]` and the legacy `bases[]` (folders among them never match a file). */
  resources: string[];
}

/**
 * Reads a kustomization file. Inline patches (`patches[].patch`, a `patchesStrategicMerge` entry
 * that is YAML rather than a path) are strings inside the kustomization itself and name no file;
 * remote resources (URLs) are skipped. A Flux Kustomization saved as kustomization.yaml is not a
 * kustomize configuration and names nothing.
 */
export function kustomizationEntries(path: string, text: string): KustomizationEntries {
  const out: KustomizationEntries = { patches: [], resources: [] };
  let config: unknown;
  try {
    // Silent: a kustomization holding template actions makes the library warn on stderr, and
    // what it cannot read simply names nothing.
    config = parseDocument(text, { prettyErrors: false, logLevel: 'silent' }).toJS({ maxAliasCount: 100 });
  } catch {
    return out;
  }
  if (!isRecord(config)) return out;
  if (typeof config.apiVersion === 'string' && !config.apiVersion.startsWith('kustomize.config.k8s.io/')) return out;
  const dir = dirname(path);
  const file = (entry: unknown): string | undefined => {
    if (
      typeof entry !== 'string' ||
      entry.trim() === '' ||
      entry.includes('\n') ||
      /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ||
      entry.trimStart().startsWith('{')
    )
      return undefined;
    return resolve(dir, entry.trim());
  };
  const push = (list: string[], entry: unknown) => {
    const resolved = file(entry);
    if (resolved) list.push(resolved);
  };
  for (const patch of asList(config.patches)) if (isRecord(patch)) push(out.patches, patch.path);
  for (const patch of asList(config.patchesStrategicMerge)) push(out.patches, patch);
  for (const patch of asList(config.patchesJson6902)) if (isRecord(patch)) push(out.patches, patch.path);
  for (const resource of [...asList(config.resources), ...asList(config.bases)]) push(out.resources, resource);
  return out;
}

/** Which files the kustomizations of a workspace (or of the folders given to the CLI) name, and how. */
export class KustomizeIndex {
  private readonly patches = new Set<string>();
  private readonly resources = new Set<string>();
  private readonly read = new Set<string>();

  /** Adds what one kustomization file names. */
  add(path: string, text: string): void {
    const absolute = resolve(path);
    if (this.read.has(absolute)) return;
    this.read.add(absolute);
    const entries = kustomizationEntries(absolute, text);
    entries.patches.forEach((p) => this.patches.add(p));
    entries.resources.forEach((r) => this.resources.add(r));
  }

  /**
   * Adds the kustomizations of a file's folder and of the folders above it: kustomize only takes
   * patch files from inside a kustomization's folder, so those are the only ones that can name it.
   */
  addAround(path: string, readText: (path: string) => string | undefined, levels = 12): void {
    let dir = dirname(resolve(path));
    for (let level = 0; level < levels; level++) {
      for (const name of KUSTOMIZATION_FILE_NAMES) {
        const candidate = resolve(dir, name);
        if (this.read.has(candidate)) continue;
        const text = readText(candidate);
        if (text !== undefined) this.add(candidate, text);
      }
      if (dirname(dir) === dir) break;
      dir = dirname(dir);
    }
  }

  /**
   * The role a kustomization gives the file, if any names it. A file named both as a resource and
   * as a patch is applied whole somewhere, so it must be whole.
   */
  roleOf(path: string): FileRole | undefined {
    const absolute = resolve(path);
    if (this.resources.has(absolute)) return 'resource';
    if (this.patches.has(absolute)) return 'patch';
    return undefined;
  }
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
