import { isMap, type Document, type Node } from 'yaml';
import type { Diagnostic } from './diagnostic';
import { nodeAt, parseManifests, scalarString, type ManifestDocument } from './documents';
import { checkApplication } from './rules/application';
import { checkHelmRelease, checkKustomization, HELM_CHART_LAYER, type SourceFacts, type SourceIndex } from './rules/fluxConsumers';
import { RuleContext } from './rules/context';
import { checkOciRepository } from './rules/ociRepository';

export const MAX_VALIDATED_BYTES = 8 * 1024 * 1024;

/**
 * Our own GitOps rules over every document of a YAML file. Documents that are not an OCIRepository
 * or an Application are left alone; YAML syntax errors are reported once each.
 */
export function validateYaml(text: string, sources?: SourceIndex): Diagnostic[] {
  if (text.length > MAX_VALIDATED_BYTES) {
    return [{ code: 'YAML002', severity: 'info', message: `Not validated: the file is over ${MAX_VALIDATED_BYTES / 1048576} MiB`, start: 0, end: 0 }];
  }
  const parsed = parseManifests(text);
  const out: Diagnostic[] = parsed.syntaxErrors.map((e) => ({ code: 'YAML001', severity: 'error' as const, message: `YAML syntax: ${e.message}`, start: e.start, end: Math.min(e.end, text.length) }));
  // OCIRepositories in this file count as existing, whatever the caller knows of the workspace.
  const known: SourceIndex | undefined = sources ? new Map([...sources, ...ociRepositoriesIn(parsed.documents)]) : undefined;
  for (const { doc } of parsed.documents) out.push(...checkManifest(doc, text, known));
  return out;
}

/**
 * Our rules for one parsed document (offsets into `text`). Kinds other than OCIRepository,
 * Application, Kustomization and HelmRelease get none. Without `sources`, references to
 * OCIRepositories are not checked (nothing is known of the workspace).
 */
export function checkManifest(doc: Document.Parsed, text: string, sources: SourceIndex | undefined): Diagnostic[] {
  const contents = doc.contents;
  if (doc.errors.length > 0 || !isMap(contents)) return [];
  const apiVersion = scalarString(contents.get('apiVersion', true));
  const kind = scalarString(contents.get('kind', true));
  if (!apiVersion || !kind) return [];
  const range = contents.range ?? [0, 0];
  const ctx = new RuleContext(contents as Node, [range[0], range[1]], text);
  if (kind === 'OCIRepository' && apiVersion.startsWith('source.toolkit.fluxcd.io/')) checkOciRepository(ctx, apiVersion);
  else if (kind === 'Application' && apiVersion === 'argoproj.io/v1alpha1') checkApplication(ctx);
  else if (kind === 'Kustomization' && apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')) checkKustomization(ctx, namespaceOf(contents), sources);
  else if (kind === 'HelmRelease' && apiVersion.startsWith('helm.toolkit.fluxcd.io/')) checkHelmRelease(ctx, namespaceOf(contents), sources);
  return ctx.diagnostics;
}

/** YAML syntax errors of a parsed document, as findings. */
export function syntaxFindings(doc: Document.Parsed, textLength: number): Diagnostic[] {
  return doc.errors.map((e) => ({ code: 'YAML001', severity: 'error' as const, message: `YAML syntax: ${e.message.split('\n')[0]}`, start: e.pos[0], end: Math.min(Math.max(e.pos[1], e.pos[0] + 1), textLength) }));
}

/** Every OCIRepository in a file by `namespace/name` (namespace "default" when unset, as kubectl does). */
export function ociRepositoriesIn(documents: Pick<ManifestDocument, 'doc'>[]): [string, SourceFacts][] {
  return documents.flatMap(({ doc }): [string, SourceFacts][] => {
    const contents = doc.contents;
    if (!isMap(contents) || scalarString(contents.get('kind', true)) !== 'OCIRepository' || !scalarString(contents.get('apiVersion', true))?.startsWith('source.toolkit.fluxcd.io/')) return [];
    const selectsHelmChart = scalarString(nodeAt(contents, 'spec', 'layerSelector', 'mediaType')) === HELM_CHART_LAYER && scalarString(nodeAt(contents, 'spec', 'layerSelector', 'operation')) === 'copy';
    return [[`${namespaceOf(contents)}/${scalarString(nodeAt(contents, 'metadata', 'name')) ?? ''}`, { selectsHelmChart }]];
  });
}

/** The OCIRepositories a set of files declares, for resolving references across files. */
export function indexSources(texts: string[]): SourceIndex {
  return new Map(texts.flatMap((text) => (text.length > MAX_VALIDATED_BYTES ? [] : ociRepositoriesIn(parseManifests(text).documents))));
}

function namespaceOf(contents: unknown): string {
  return scalarString(nodeAt(contents, 'metadata', 'namespace')) ?? 'default';
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
