import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isMap, type Document, type YAMLMap } from 'yaml';
import { parseManifests } from '../documents';
import { lineColumn, MAX_VALIDATED_BYTES } from '../engine';
import { applyTo, type AppliedBy } from '../kustomize/appliedBy';
import { KustomizeIndex, type FileRole } from '../kustomize/kustomizeIndex';
import { Reconciliation } from '../kustomize/reconciliation';
import { skipReason } from '../scope';
import { declaredSources } from '../sourceReferences';
import { addSources, type SourceIndex } from '../sources';
import { collectYamlFiles } from '../validateFiles';
import type { DeclaredAt } from './contract';

/** One YAML document of the workspace, as the cluster gets it (kustomize namespace, Flux patches applied). */
export interface WorkspaceDocument {
  file: string;
  text: string;
  doc: Document.Parsed;
  root: YAMLMap;
  role?: FileRole;
  appliedBy?: AppliedBy;
}

/**
 * The workspace as the validator pictures it: every YAML file under the targets, what applies each
 * one (Flux Kustomizations, kustomize overlays) and the sources they declare. Helm templates are
 * left out (they are not YAML until rendered) and named in `skipped`.
 */
export interface WorkspacePicture {
  documents: WorkspaceDocument[];
  /** Every YAML text read, by path (kustomization files too): secret generators read their files from here or the disk. */
  texts: ReadonlyMap<string, string>;
  sources: SourceIndex;
  skipped: Array<{ file: string; reason: string }>;
}

/**
 * Of the files holding none of our kinds, only those that may hold what the checks read are parsed:
 * a Secret (`spec.verify.secretRef`) or Argo CD's argocd-cmd-params-cm. Parsing every other YAML
 * file of a large repository costs most of the time and finds nothing.
 */
const READ_BEYOND_OUR_KINDS = /^\s*kind:\s*["']?Secret\b|argocd-cmd-params-cm/m;

export interface WorkspaceInput {
  /** Files and folders, as `validateFiles` takes them. */
  files: string[];
  /** Texts that replace what is on disk (an editor's unsaved documents), by absolute path. */
  overrides?: ReadonlyMap<string, string>;
  signal?: AbortSignal;
}

export async function loadWorkspace(input: WorkspaceInput): Promise<WorkspacePicture> {
  const { files, kustomizations } = await collectYamlFiles(input.files);
  const read = async (path: string) => input.overrides?.get(resolve(path)) ?? (await readFile(path, 'utf8'));
  const kustomize = new KustomizeIndex();
  const texts = new Map<string, string>();
  for (const path of kustomizations) {
    const text = await read(path);
    kustomize.add(path, text);
    texts.set(path, text);
  }
  const walked = new Set<string>();
  for (const target of input.files) {
    const above = dirname(resolve(target));
    if (walked.has(above)) continue;
    walked.add(above);
    kustomize.addAround(target, readTextSync);
  }
  const skipped: WorkspacePicture['skipped'] = [];
  const readable: string[] = [];
  for (const file of [...files].sort()) {
    input.signal?.throwIfAborted();
    if (!input.overrides?.has(resolve(file)) && (await stat(file)).size > MAX_VALIDATED_BYTES) {
      skipped.push({ file, reason: `over ${MAX_VALIDATED_BYTES / 1048576} MiB: split it so it can be read` });
      continue;
    }
    const text = await read(file);
    texts.set(file, text);
    const reason = skipReason(text, file, existsSync);
    if (reason === 'chart-template') skipped.push({ file, reason: 'a Helm chart template: its objects exist only once rendered' });
    else if (reason === 'template-actions')
      skipped.push({ file, reason: 'holds {{ }} template actions: its objects exist only once rendered' });
    else if (reason !== 'not-ours' || READ_BEYOND_OUR_KINDS.test(text)) readable.push(file);
  }
  const reconciliation = new Reconciliation(texts);
  // Each file is parsed once: its documents, as the first Kustomization that applies it makes them,
  // and the sources they declare there (a component applied in several namespaces declares them in each).
  const sources: SourceIndex = new Map();
  const documents: WorkspaceDocument[] = [];
  for (const file of readable) {
    const text = texts.get(file)!;
    const role = kustomize.roleOf(file);
    const [appliedBy, ...others] = reconciliation.appliedByAll(file);
    for (const { doc } of parseManifests(text).documents) {
      applyTo(doc, appliedBy);
      addSources(sources, declaredSources(doc));
      if (doc.errors.length > 0 || !isMap(doc.contents)) continue;
      documents.push({ file, text, doc, root: doc.contents, ...(role ? { role } : {}), ...(appliedBy ? { appliedBy } : {}) });
    }
    for (const other of others)
      addSources(
        sources,
        parseManifests(text).documents.flatMap(({ doc }) => {
          applyTo(doc, other);
          return declaredSources(doc);
        }),
      );
  }
  return { documents, texts, sources, skipped };
}

/** Where an offset of a workspace text is, as the Problems panel counts. */
export function declaredAt(document: Pick<WorkspaceDocument, 'file' | 'text'>, offset: number): DeclaredAt {
  return { file: document.file, line: lineColumn(document.text, offset).line };
}

function readTextSync(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
