import { parseAllDocuments, type Document } from 'yaml';
import type { Diagnostic } from './diagnostic';
import { splitDocuments, type DocumentChunk } from './documentChunks';
import { checkManifest, MAX_VALIDATED_BYTES, ociRepositoriesIn, syntaxFindings } from './engine';
import type { SourceFacts, SourceIndex } from './rules/fluxConsumers';
import { SchemaService } from './schemaService';

/** What one document's text yields, whatever its position in the file (offsets relative to it). */
interface ChunkResult {
  /** Syntax trees, kept only for documents whose rules depend on other documents. */
  documents: Document.Parsed[];
  /** Schema findings, with those our rules report better already removed. */
  schema: Diagnostic[];
  syntax: Diagnostic[];
  /** OCIRepositories it declares. */
  declares: [string, SourceFacts][];
  /** Rule findings, cached only when they cannot depend on other documents. */
  rules?: Diagnostic[];
}

const CACHE_LIMIT = 10_000;

/**
 * The whole validation of a YAML file: JSON Schema (yaml-language-server) and our rules, document
 * by document. Each document's result is cached by its text, so re-validating after an edit redoes
 * only the documents that changed: a one-line edit in a file of a thousand documents costs one.
 */
export class GitOpsValidator {
  private readonly cache = new Map<string, ChunkResult>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly schemas: SchemaService = new SchemaService()) {}

  /** Findings for a file. `sources` are the OCIRepositories known elsewhere (workspace or CLI args). */
  validate(text: string, sources?: SourceIndex, signal?: AbortSignal): Promise<Diagnostic[]> {
    // One at a time: the schema service reads its parse back by version.
    const run = this.queue.then(() => this.run(text, sources, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(text: string, sources: SourceIndex | undefined, signal: AbortSignal | undefined): Promise<Diagnostic[]> {
    if (text.length > MAX_VALIDATED_BYTES) {
      return [{ code: 'YAML002', severity: 'info', message: `Not validated: the file is over ${MAX_VALIDATED_BYTES / 1048576} MiB; split it into smaller files`, start: 0, end: 0 }];
    }
    const chunks = splitDocuments(text);
    const results: ChunkResult[] = [];
    for (const chunk of chunks) {
      signal?.throwIfAborted();
      results.push(await this.chunkResult(chunk));
    }
    // OCIRepositories in this file count as existing, whatever the caller knows of the workspace.
    const known: SourceIndex | undefined = sources ? new Map([...sources, ...results.flatMap((r) => r.declares)]) : undefined;
    const out: Diagnostic[] = [];
    chunks.forEach((chunk, index) => {
      const result = results[index];
      const rules = result.rules ?? result.documents.flatMap((doc) => checkManifest(doc, chunk.text, known));
      for (const d of [...result.syntax, ...rules, ...withoutRepeats(result.schema, rules)]) out.push(shift(d, chunk.offset));
    });
    return out;
  }

  /**
   * Whether a document may be of a kind we have a schema for, read from its top-level `kind:` and
   * `apiVersion:` lines without parsing. ConfigMaps, Deployments and the like then skip the schema
   * pass (they only get our syntax check), which in a typical file is most of the documents.
   */
  private mayHaveSchema(text: string): boolean {
    const kind = /^kind:[ \t]*["']?([A-Za-z]+)/m.exec(text)?.[1];
    const apiVersion = /^apiVersion:[ \t]*["']?([a-z0-9./-]+)/m.exec(text)?.[1];
    if (kind === undefined || apiVersion === undefined) return /^\s*\{/m.test(text);
    return this.schemas.covers(apiVersion, kind);
  }

  private async chunkResult(chunk: DocumentChunk): Promise<ChunkResult> {
    const cached = this.cache.get(chunk.text);
    if (cached) {
      // Most recently used last, so the oldest entries are the ones dropped.
      this.cache.delete(chunk.text);
      this.cache.set(chunk.text, cached);
      return cached;
    }
    const { diagnostics, documents } = this.mayHaveSchema(chunk.text) ? await this.schemas.validate(chunk.text) : { diagnostics: [], documents: parseOnly(chunk.text) };
    const dependsOnWorkspace = documents.some((doc) => referencesSources(doc));
    const rules = dependsOnWorkspace ? undefined : documents.flatMap((doc) => checkManifest(doc, chunk.text, undefined));
    const result: ChunkResult = {
      // The syntax trees are kept only where rules must run again; the rest would only hold memory.
      documents: rules ? [] : documents,
      schema: rules ? withoutRepeats(diagnostics, rules) : diagnostics,
      syntax: documents.flatMap((doc) => syntaxFindings(doc, chunk.text.length)),
      declares: ociRepositoriesIn(documents.map((doc) => ({ doc }))),
      ...(rules ? { rules } : {}),
    };
    this.cache.set(chunk.text, result);
    if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    return result;
  }
}

function parseOnly(text: string): Document.Parsed[] {
  const docs = parseAllDocuments(text, { prettyErrors: false });
  return Array.isArray(docs) ? docs : [];
}

/** Kustomizations and HelmReleases name OCIRepositories that may live in other documents. */
function referencesSources(doc: Document.Parsed): boolean {
  const kind = (doc.contents as { get?: (key: string) => unknown } | null)?.get?.('kind');
  return kind === 'Kustomization' || kind === 'HelmRelease';
}

/**
 * Schema findings that say what a rule already says (same place, or the same missing field) are
 * dropped: the rule's message is more specific and may carry a quick fix.
 */
function withoutRepeats(schema: Diagnostic[], rules: Diagnostic[]): Diagnostic[] {
  return schema.filter((s) => {
    const missing = /^Missing required field "(.+)"/.exec(s.message)?.[1];
    return !rules.some((r) => (r.start < s.end && s.start < r.end) || (missing !== undefined && new RegExp(`\\b${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(r.message)));
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
