import { parseAllDocuments, type Document } from 'yaml';
import type { Diagnostic } from './diagnostic';
import { splitDocuments, type DocumentChunk } from './documentChunks';
import { checkManifest, documentIsOurs, firstSyntaxError, MAX_VALIDATED_BYTES, oversized } from './engine';
import { kindOfDocument } from './kinds';
import { FLOW_STYLE_LINE, mayHoldOurKinds } from './kindSniff';
import { applyTo, withoutSubstituted, type AppliedBy } from './kustomize/appliedBy';
import type { FileRole } from './kustomize/kustomizeIndex';
import { isPartialDocument } from './kustomize/partialObjects';
import { SchemaService } from './schemaService';
import { skipReason } from './scope';
import { declaredSources } from './sourceReferences';
import { addSources, type SourceIndex } from './sources';
import { resolveAliases } from './yamlAliases';

/** A parsed document of ours, and whether it is checked as a whole object or as a patch. */
interface OurDocument {
  doc: Document.Parsed;
  whole: boolean;
}

/** What one document's text yields, whatever its position in the file (offsets relative to it). */
interface ChunkResult {
  /** Syntax trees, kept only for documents whose rules depend on other documents. */
  documents: OurDocument[];
  /** Schema findings, with those our rules report better already removed. */
  schema: Diagnostic[];
  syntax: Diagnostic[];
  /** Sources it declares. */
  declares: ReturnType<typeof declaredSources>;
  /** Rule findings, cached only when they cannot depend on other documents. */
  rules?: Diagnostic[];
}

const CACHE_LIMIT = 10_000;
const NOT_OURS: ChunkResult = { documents: [], schema: [], syntax: [], declares: [], rules: [] };

/**
 * The whole validation of a YAML file: JSON Schema (yaml-language-server) and our rules, document
 * by document. Each document's result is cached by its text, so re-validating after an edit redoes
 * only the documents that changed: a one-line edit in a file of a thousand documents costs one.
 *
 * Only what is ours gets findings: a file or document of no kind we validate gets none (its YAML
 * syntax included: the YAML extension reports that), and neither does a Helm template. A document
 * checked as partial (a kustomize patch) gets no finding for what it leaves out.
 */
export class GitOpsValidator {
  private readonly cache = new Map<string, ChunkResult>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly schemas: SchemaService = new SchemaService()) {}

  /**
   * Findings for a file. `sources` are the sources known elsewhere (workspace or CLI args);
   * `role` is what a kustomization makes of the file (unknown: documents that look like patches
   * are taken for patches). `appliedBy` is what applies the file to the cluster (kustomizations/reconciliation):
   * its objects are judged as they get there.
   */
  validate(text: string, sources?: SourceIndex, signal?: AbortSignal, role?: FileRole, appliedBy?: AppliedBy): Promise<Diagnostic[]> {
    if (text.length <= MAX_VALIDATED_BYTES && skipReason(text) !== undefined) return Promise.resolve([]);
    return this.validateOurs(text, sources, signal, role, appliedBy);
  }

  /**
   * As `validate`, for a text its caller has already found ours (with scope.ts `skipReason`, which
   * also knows where the file is): the question is asked once on the way to a diagnostic, by the
   * caller, not again here. Documents of other kinds in the text still get nothing.
   */
  validateOurs(text: string, sources?: SourceIndex, signal?: AbortSignal, role?: FileRole, appliedBy?: AppliedBy): Promise<Diagnostic[]> {
    // One at a time: the schema service reads its parse back by version.
    const run = this.queue.then(() => this.run(text, sources, signal, role, appliedBy));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(
    text: string,
    sources: SourceIndex | undefined,
    signal: AbortSignal | undefined,
    role: FileRole | undefined,
    appliedBy: AppliedBy | undefined,
  ): Promise<Diagnostic[]> {
    if (text.length > MAX_VALIDATED_BYTES) return mayHoldOurKinds(text) ? [oversized()] : [];
    const chunks = splitDocuments(text);
    const results: ChunkResult[] = [];
    for (const chunk of chunks) {
      signal?.throwIfAborted();
      results.push(await this.chunkResult(chunk, role, appliedBy));
    }
    // Sources in this file count as existing, whatever the caller knows of the workspace.
    const known: SourceIndex | undefined = sources
      ? addSources(
          new Map(sources),
          results.flatMap((r) => r.declares),
        )
      : undefined;
    const out: Diagnostic[] = [];
    chunks.forEach((chunk, index) => {
      const result = results[index];
      const rules = result.rules ?? result.documents.flatMap(({ doc, whole }) => checkManifest(doc, chunk.text, known, whole));
      for (const d of [...result.syntax, ...rules, ...withoutRepeats(result.schema, rules)]) out.push(shift(d, chunk.offset));
    });
    return withoutSubstituted(out, text, appliedBy);
  }

  /**
   * Whether a document may be of a kind we have a schema for, read from its top-level `kind:` and
   * `apiVersion:` lines without parsing. ConfigMaps, Deployments and the like then skip the schema
   * pass, which in a typical file is most of the documents.
   */
  private mayHaveSchema(text: string): boolean {
    const kind = /^kind:[ \t]*["']?([A-Za-z]+)/m.exec(text)?.[1];
    const apiVersion = /^apiVersion:[ \t]*["']?([a-z0-9./-]+)/m.exec(text)?.[1];
    if (kind === undefined || apiVersion === undefined) return FLOW_STYLE_LINE.test(text);
    return this.schemas.covers(apiVersion, kind);
  }

  private async chunkResult(chunk: DocumentChunk, role: FileRole | undefined, appliedBy: AppliedBy | undefined): Promise<ChunkResult> {
    if (!mayHoldOurKinds(chunk.text)) return NOT_OURS;
    const key = `${role ?? ''}\u0000${appliedBy ? JSON.stringify(appliedBy) : ''}\u0000${chunk.text}`;
    const cached = this.cache.get(key);
    if (cached) {
      // Most recently used last, so the oldest entries are the ones dropped.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const { diagnostics, documents } = this.mayHaveSchema(chunk.text)
      ? await this.schemas.validate(chunk.text)
      : { diagnostics: [], documents: parseOnly(chunk.text) };
    const patched = new Map<Document.Parsed, Set<string>>();
    const ours: OurDocument[] = documents
      .filter((doc) => documentIsOurs(doc, chunk.text.slice(doc.range?.[0] ?? 0, doc.range?.[2] ?? chunk.text.length)))
      .map((doc) => {
        patched.set(doc, applyTo(doc, appliedBy).patchedKeys);
        return { doc, whole: !isPartialDocument(doc, role) };
      });
    const schema = diagnostics.filter((d) => {
      const owner = ours.length === 1 ? ours[0] : ours.find(({ doc }) => doc.range && d.start >= doc.range[0] && d.start <= doc.range[2]);
      // A document that does not parse is only told so: what the schema makes of the parser's
      // recovery is noise. Required fields of a patch live in the object it patches, and its
      // strategic merge directives ($patch, $retainKeys…) are kustomize's, not fields of the CRD.
      // A field the schema pass misses may be one the Flux Kustomization applying the file patches in.
      const missing = /^Missing required field "(.+)"/.exec(d.message)?.[1];
      return (
        owner !== undefined &&
        owner.doc.errors.length === 0 &&
        (owner.whole || !/^(Missing required field |Unknown field "\$)/.test(d.message)) &&
        !(missing !== undefined && patched.get(owner.doc)?.has(missing))
      );
    });
    const dependsOnWorkspace = ours.some(({ doc }) => referencesSources(doc));
    const rules = dependsOnWorkspace ? undefined : ours.flatMap(({ doc, whole }) => checkManifest(doc, chunk.text, undefined, whole));
    const result: ChunkResult = {
      // The syntax trees are kept only where rules must run again; the rest would only hold memory.
      documents: rules ? [] : ours,
      schema: rules ? withoutRepeats(schema, rules) : schema,
      syntax: ours.flatMap(({ doc }) => firstSyntaxError(doc, chunk.text.length)),
      declares: ours.flatMap(({ doc }) => declaredSources(doc)),
      ...(rules ? { rules } : {}),
    };
    this.cache.set(key, result);
    if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    return result;
  }
}

function parseOnly(text: string): Document.Parsed[] {
  const docs = parseAllDocuments(text, { prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  list.forEach(resolveAliases);
  return list;
}

/** Whether a document's kind names sources (Kustomizations, HelmReleases) that may live in other documents. */
function referencesSources(doc: Document.Parsed): boolean {
  return kindOfDocument(doc)?.kind.referencesSources !== undefined;
}

/**
 * Schema findings that say what a rule already says (same place, or the same missing field) are
 * dropped: the rule's message is more specific and may carry a quick fix.
 */
function withoutRepeats(schema: Diagnostic[], rules: Diagnostic[]): Diagnostic[] {
  return schema.filter((s) => {
    const missing = /^Missing required field "(.+)"/.exec(s.message)?.[1];
    return !rules.some(
      (r) =>
        (r.start < s.end && s.start < r.end) ||
        (missing !== undefined && new RegExp(`\\b${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(r.message)),
    );
  });
}

function shift(d: Diagnostic, by: number): Diagnostic {
  if (by === 0) return d;
  return {
    ...d,
    start: d.start + by,
    end: d.end + by,
    ...(d.fix ? { fix: { title: d.fix.title, edits: d.fix.edits.map((e) => ({ ...e, start: e.start + by, end: e.end + by })) } } : {}),
  };
}
