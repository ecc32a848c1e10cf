import { isMap, type Node } from 'yaml';
import type { Diagnostic } from './diagnostic';
import { nodeAt, parseManifests, scalarString, type ManifestDocument } from './documents';
import { checkApplication } from './rules/application';
import { checkHelmRelease, checkKustomization, type SourceIndex } from './rules/fluxConsumers';
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
  const known: SourceIndex = new Set([...(sources ?? []), ...ociRepositoriesIn(parsed.documents)]);
  for (const { doc, apiVersion, kind } of parsed.documents) {
    if (doc.errors.length > 0 || !isMap(doc.contents) || !apiVersion || !kind) continue;
    const range = doc.contents.range ?? [0, 0];
    const ctx = new RuleContext(doc.contents as Node, [range[0], range[1]], text);
    if (kind === 'OCIRepository' && apiVersion.startsWith('source.toolkit.fluxcd.io/')) checkOciRepository(ctx, apiVersion);
    else if (kind === 'Application' && apiVersion === 'argoproj.io/v1alpha1') checkApplication(ctx);
    else if (kind === 'Kustomization' && apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')) checkKustomization(ctx, namespaceOf(doc.contents), sources ? known : undefined);
    else if (kind === 'HelmRelease' && apiVersion.startsWith('helm.toolkit.fluxcd.io/')) checkHelmRelease(ctx, namespaceOf(doc.contents), sources ? known : undefined);
    out.push(...ctx.diagnostics);
  }
  return out;
}

/** `namespace/name` of every OCIRepository in a file (namespace "default" when unset, as kubectl does). */
export function ociRepositoriesIn(documents: ManifestDocument[]): string[] {
  return documents
    .filter((d) => d.kind === 'OCIRepository' && d.apiVersion?.startsWith('source.toolkit.fluxcd.io/') && isMap(d.doc.contents))
    .map((d) => `${namespaceOf(d.doc.contents)}/${scalarString(nodeAt(d.doc.contents, 'metadata', 'name')) ?? ''}`);
}

/** The OCIRepositories a set of files declares, for resolving references across files. */
export function indexSources(texts: string[]): SourceIndex {
  return new Set(texts.flatMap((text) => (text.length > MAX_VALIDATED_BYTES ? [] : ociRepositoriesIn(parseManifests(text).documents))));
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
