import { getLanguageService, type CompletionList, type Hover, type LanguageService } from 'yaml-language-server';
// The language service parses every document it validates; reading that parse back from its cache
// lets our rules run on the same syntax tree instead of parsing the text a second time, which would
// cost as much as the whole schema pass.
import { yamlDocumentsCache } from 'yaml-language-server/out/src/languageservice/parser/yaml-documents.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseAllDocuments, type Document } from 'yaml';
import type { Diagnostic } from './diagnostic';
import type { KindSchema } from './contract/kindSchema';
import { kindSchemas } from './kinds';
import { resolveAliases } from './yamlAliases';

const ROOT_URI = 'oci-gitops://schemas/gitops.json';
const CHUNK_URI = 'oci-gitops://validate/document.yaml';
const PARSER_OPTIONS = { customTags: [] as string[], yamlVersion: '1.2' as const };

/**
 * Document versions, shared by every SchemaService of the process: the language service caches
 * its parses by uri and version in one module-wide cache, so a second service counting from 1
 * again would be handed the first one's parse of another text.
 */
let version = 0;

/** The JSON Schema findings and the syntax tree of one YAML document. */
export interface SchemaResult {
  diagnostics: Diagnostic[];
  documents: Document.Parsed[];
}

/**
 * yaml-language-server in-process, with our schemas for the kinds we validate (kinds/*: each
 * kind's `schemas`). One root schema dispatches on `apiVersion` and `kind` (if/then), so each
 * document of a file gets the schema of its own kind with no modeline or setting, and documents of
 * other kinds match no branch and are left alone. Nothing is fetched: every schema is in memory.
 */
export class SchemaService {
  private readonly service: LanguageService;

  constructor(readonly schemas: readonly KindSchema[] = kindSchemas) {
    this.service = getLanguageService({
      schemaRequestService: (uri) => Promise.reject(new Error(`OCI GitOps does not fetch schemas (${uri})`)),
      workspaceContext: { resolveRelativePath: (path) => path },
    });
    const root = {
      allOf: schemas.map((s) => ({
        if: { properties: { apiVersion: { const: s.apiVersion }, kind: { const: s.kind } }, required: ['apiVersion', 'kind'] },
        then: { $ref: s.uri },
      })),
    };
    this.service.configure({
      validate: true,
      hover: true,
      completion: true,
      hoverSchemaSource: false,
      customTags: PARSER_OPTIONS.customTags,
      yamlVersion: PARSER_OPTIONS.yamlVersion,
      schemas: [
        { uri: ROOT_URI, fileMatch: ['*'], schema: root },
        ...schemas.map((s) => ({ uri: s.uri, fileMatch: [], schema: s.schema })),
      ],
    });
  }

  /** Whether a document of this kind has a schema of ours (completion and hover answer only then). */
  covers(apiVersion: string | undefined, kind: string | undefined): boolean {
    return this.schemas.some((s) => s.apiVersion === apiVersion && s.kind === kind);
  }

  /**
   * Schema findings for one document's text (offsets relative to it) and its parse. Callers must
   * not overlap calls: the parse is read back from the language service's cache by version.
   */
  async validate(text: string): Promise<SchemaResult> {
    const document = TextDocument.create(CHUNK_URI, 'yaml', ++version, text);
    let parsed;
    try {
      parsed = yamlDocumentsCache.getYamlDocument(document, PARSER_OPTIONS, true);
    } catch {
      // The language service's AST conversion recurses without bound on a self-referencing alias;
      // such a text gets no schema findings, and our own parse reports what is wrong with it.
      const own = parseAllDocuments(text, { prettyErrors: false });
      const documents = (Array.isArray(own) ? own : []) as Document.Parsed[];
      documents.forEach(resolveAliases);
      return { diagnostics: [], documents };
    }
    const found = await this.service.doValidation(document, false).catch(() => []);
    const diagnostics: Diagnostic[] = [];
    for (const d of found) {
      // Syntax errors and anchors are reported by our own rules; only schema findings are taken.
      if (typeof d.source !== 'string' || !d.source.startsWith('yaml-schema')) continue;
      const message = typeof d.message === 'string' ? d.message : String(d.message);
      const deprecated = this.schemas.some((s) => s.deprecated === message);
      // Deprecation is already reported, with its fix, by rule OCI000.
      if (deprecated) continue;
      const start = document.offsetAt(d.range.start);
      diagnostics.push({
        code: 'SCHEMA',
        severity: 'error',
        message: schemaMessage(message),
        start,
        end: Math.max(document.offsetAt(d.range.end), start + 1),
      });
    }
    // Resolved only now: the language service has done with its parse, which this changes in place.
    const documents = parsed.documents.map((d) => d.internalDocument as unknown as Document.Parsed);
    documents.forEach(resolveAliases);
    return { diagnostics, documents };
  }

  /** Completion at a position of one document's text (positions relative to it). */
  async complete(text: string, line: number, character: number): Promise<CompletionList> {
    const document = TextDocument.create(`${CHUNK_URI}#complete`, 'yaml', ++version, text);
    return this.service.doComplete(document, { line, character }, false).catch(() => ({ isIncomplete: false, items: [] }));
  }

  async hover(text: string, line: number, character: number): Promise<Hover | null> {
    const document = TextDocument.create(`${CHUNK_URI}#hover`, 'yaml', ++version, text);
    try {
      return await this.service.doHover(document, { line, character });
    } catch {
      return null;
    }
  }
}

/** The language service's wording, made to say what to do where it does not. */
function schemaMessage(message: string): string {
  const unknown = /^Property (.+) is not allowed\.$/.exec(message);
  if (unknown)
    return `Unknown field "${unknown[1]}": the CRD does not define it here. Check the spelling and indentation (completion lists the fields that fit).`;
  const missing = /^Missing property "(.+)"\.$/.exec(message);
  if (missing) return `Missing required field "${missing[1]}".`;
  return message;
}
