import { isMap, type Document, type YAMLMap } from 'yaml';
import type { Diagnostic } from './diagnostic';
import { parseManifests, scalarString } from './documents';
import { isOurKind, kindOfDocument, knownSources } from './kinds';
import { sniffKind } from './kindSniff';
import { applyTo, type AppliedBy } from './kustomize/appliedBy';
import { RuleContext } from './contract/ruleContext';
import { skipReason } from './scope';
import { declaredSources } from './sourceReferences';
import { addSources, type SourceIndex } from './sources';

export const MAX_VALIDATED_BYTES = 8 * 1024 * 1024;

/** The finding for a file too large to validate. */
export function oversized(): Diagnostic {
  return {
    code: 'YAML002',
    severity: 'info',
    message: `Not validated: the file is over ${MAX_VALIDATED_BYTES / 1048576} MiB; split it into smaller files`,
    start: 0,
    end: 0,
  };
}

/**
 * Whether a document is of a kind we validate, from its parse or, when syntax errors hide it,
 * from its top-level `apiVersion:` and `kind:` lines.
 */
export function documentIsOurs(doc: Document.Parsed, documentText: string): boolean {
  const contents = doc.contents;
  const apiVersion = isMap(contents) ? scalarString(contents.get('apiVersion', true)) : undefined;
  const kind = isMap(contents) ? scalarString(contents.get('kind', true)) : undefined;
  if (apiVersion !== undefined) return isOurKind(apiVersion, kind, contents as YAMLMap);
  if (doc.errors.length === 0) return false;
  const sniffed = sniffKind(documentText);
  return sniffed.apiVersion !== undefined && isOurKind(sniffed.apiVersion, sniffed.kind, documentText);
}

/**
 * Our rules for one parsed document (offsets into `text`); kinds we do not validate get none.
 * Without `sources`, references to sources are not checked (nothing is known of the workspace).
 * `whole` is false for a partial object (a kustomize patch).
 */
export function checkManifest(doc: Document.Parsed, text: string, sources: SourceIndex | undefined, whole = true): Diagnostic[] {
  const ours = doc.errors.length === 0 ? kindOfDocument(doc) : undefined;
  if (!ours?.kind.check) return [];
  const range = ours.root.range ?? [0, 0];
  const ctx = new RuleContext(ours.root, [range[0], range[1]], text, whole, sources && knownSources(sources));
  ours.kind.check(ctx);
  return ctx.diagnostics;
}

/**
 * The first YAML syntax error of a document, as a finding. Only the first: the parser's later
 * errors mostly follow from it, and the YAML extension lists them all anyway; ours says why our
 * checks of the document are paused.
 */
export function firstSyntaxError(doc: Document.Parsed, textLength: number): Diagnostic[] {
  const error = doc.errors[0];
  if (!error) return [];
  return [
    {
      code: 'YAML001',
      severity: 'error',
      message: `YAML syntax: ${error.message.split('\n')[0]}. The Flux and Argo CD checks of this document resume once it parses`,
      start: error.pos[0],
      end: Math.min(Math.max(error.pos[1], error.pos[0] + 1), textLength),
    },
  ];
}

/**
 * The sources a set of files declares, for resolving references across files; a file given with
 * what applies it declares its sources in the namespace they get in the cluster.
 */
export function indexSources(files: (string | { text: string; appliedBy?: AppliedBy })[]): SourceIndex {
  return indexOurSources(
    files
      .map((file) => (typeof file === 'string' ? { text: file } : file))
      .filter(({ text }) => text.length <= MAX_VALIDATED_BYTES && skipReason(text) === undefined),
  );
}

/** As {@link indexSources}, for files their caller has already found ours (workspacePicture.ts). */
export function indexOurSources(files: { text: string; appliedBy?: AppliedBy }[]): SourceIndex {
  const index: SourceIndex = new Map();
  for (const { text, appliedBy } of files) {
    addSources(
      index,
      parseManifests(text).documents.flatMap(({ doc }) => {
        applyTo(doc, appliedBy);
        return declaredSources(doc);
      }),
    );
  }
  return index;
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
