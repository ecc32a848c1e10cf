import type * as vscode from 'vscode';
import type { Diagnostic as Finding } from '../../gitops/diagnostic';
import type { OciClient } from '../../oci';
import type { Logger } from '../../oci/logger';
import { errorMessage } from '../../text/format';
import { LiveValidation } from './liveValidation';
import type { QuickFixes } from './quickFixes';
import type { WorkspaceSources } from './workspaceSources';

const DEBOUNCE_MS = 250;

/**
 * The offline findings of each open YAML document, kept current as the user types (debounced) and
 * as the workspace's sources change, published with the live findings beside them. A document of
 * none of our kinds, or a Helm template, gets nothing.
 */
export class DocumentValidation implements vscode.Disposable {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly offline = new Map<string, Finding[]>();
  private readonly versions = new Map<string, number>();
  /** The registry checks of each document, published with the offline findings. */
  readonly live: LiveValidation;

  constructor(
    private readonly collection: vscode.DiagnosticCollection,
    private readonly quickFixes: QuickFixes,
    private readonly workspace: WorkspaceSources,
    private readonly deps: { client: OciClient; logger: Logger },
  ) {
    this.live = new LiveValidation(
      deps.client,
      deps.logger,
      (document) => this.publish(document),
      (document) => workspace.liveContext(document),
    );
  }

  publish(document: vscode.TextDocument): void {
    const found = [...(this.offline.get(document.uri.toString()) ?? []), ...this.live.findingsFor(document)];
    this.collection.set(document.uri, this.quickFixes.toDiagnostics(document, found));
  }

  async check(document: vscode.TextDocument): Promise<void> {
    if (document.languageId !== 'yaml' || document.uri.scheme === 'oci') return;
    const key = document.uri.toString();
    const version = document.version;
    this.versions.set(key, version);
    // Other YAML and Helm templates are left to other tools: no diagnostics, no language service.
    if (this.workspace.scopeOf(document) !== undefined) {
      this.forget(document);
      return;
    }
    let found: Finding[];
    try {
      found = await this.workspace.validate(document);
    } catch (error) {
      this.deps.logger.warn(`Validation of ${document.uri.fsPath} failed: ${errorMessage(error)}`);
      return;
    }
    // An older pass that finishes after a newer edit must not overwrite its findings.
    if (this.versions.get(key) !== version || document.isClosed) return;
    this.offline.set(key, found);
    this.publish(document);
    this.live.schedule(document);
  }

  /** Checks again once the user pauses typing. */
  later(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.live.cancel(document);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.check(document);
      }, DEBOUNCE_MS),
    );
  }

  /** Reads the workspace again, then checks every open document against it. */
  async reindex(documents: readonly vscode.TextDocument[]): Promise<void> {
    await this.workspace.refresh();
    documents.forEach((d) => void this.check(d));
  }

  closed(document: vscode.TextDocument): void {
    this.versions.delete(document.uri.toString());
    this.forget(document);
  }

  /** Drops what we said about a document that is not (or no longer) ours. */
  private forget(document: vscode.TextDocument): void {
    this.offline.delete(document.uri.toString());
    this.live.forget(document);
    if (this.collection.has(document.uri)) this.collection.delete(document.uri);
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.live.dispose();
  }
}
