import * as vscode from 'vscode';
import type { Diagnostic as Finding } from '../../gitops/diagnostic';
import { LiveCache } from '../../gitops/live/liveCache';
import { checkLive, type LiveLens, type LiveOptions } from '../../gitops/live/liveCheck';
import { trustBesideManifest } from '../../gitops/live/workspaceTrust';
import type { OciClient } from '../../oci';
import type { Logger } from '../../oci/logger';
import { isRestricted } from '../restrictedMode';
import { readSigningSettings } from '../signing/signingSettings';
import { errorMessage } from '../../text/format';

const DELAY_MS = 600;

interface LiveState {
  /** The text the findings were computed on: they are shown only while the text is unchanged. */
  text: string;
  findings: Finding[];
  lenses: LiveLens[];
}

/**
 * The registry side of validation: after the offline pass settles, ask the registries about the
 * document's references (debounced, cancelled by the next edit, answers cached for a minute) and
 * show the result as diagnostics and CodeLenses. Off with `ociGitops.validation.live`, and in
 * Restricted Mode: the hosts are the workspace's choice, the credentials the user's.
 */
export class LiveValidation implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly states = new Map<string, LiveState>();
  private readonly pending = new Map<string, { timer: NodeJS.Timeout; abort: AbortController }>();
  private readonly cache = new LiveCache();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly client: OciClient,
    private readonly logger: Logger,
    private readonly publish: (document: vscode.TextDocument) => void,
    /**
     * What the workspace says of a document: its sources (a HelmRelease's OCI HelmRepository may be
     * in another file), its kustomize role, what applies it (its objects are asked about as they get there).
     */
    private readonly workspace: (document: vscode.TextDocument) => Pick<LiveOptions, 'role' | 'sources' | 'appliedBy'> = () => ({}),
  ) {}

  private enabled(document: vscode.TextDocument): boolean {
    return !isRestricted() && vscode.workspace.getConfiguration('ociGitops.validation', document.uri).get<boolean>('live', true);
  }

  schedule(document: vscode.TextDocument): void {
    this.cancel(document);
    const key = document.uri.toString();
    if (!this.enabled(document)) {
      if (this.states.delete(key)) {
        this.publish(document);
        this.changed.fire();
      }
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => void this.run(document, abort), DELAY_MS);
    this.pending.set(key, { timer, abort });
  }

  private async run(document: vscode.TextDocument, abort: AbortController): Promise<void> {
    const key = document.uri.toString();
    const text = document.getText();
    try {
      const result = await checkLive(text, {
        repository: (ref) => this.client.repository(ref),
        trustFor: (target) =>
          document.uri.scheme === 'file'
            ? trustBesideManifest(document.uri.fsPath, target, readSigningSettings().sigstore.trustedRoot)
            : undefined,
        cache: this.cache,
        signal: abort.signal,
        ...this.workspace(document),
      });
      if (abort.signal.aborted || document.isClosed) return;
      this.states.set(key, { text, findings: result.diagnostics, lenses: result.lenses });
      this.publish(document);
      this.changed.fire();
    } catch (error) {
      if (!abort.signal.aborted) this.logger.warn(`Live checks of ${document.uri.fsPath} failed: ${errorMessage(error)}`);
    } finally {
      if (this.pending.get(key)?.abort === abort) this.pending.delete(key);
    }
  }

  cancel(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const pending = this.pending.get(key);
    if (!pending) return;
    clearTimeout(pending.timer);
    pending.abort.abort();
    this.pending.delete(key);
  }

  forget(document: vscode.TextDocument): void {
    this.cancel(document);
    this.states.delete(document.uri.toString());
  }

  clearCache(): void {
    this.cache.clear();
  }

  private current(document: vscode.TextDocument): LiveState | undefined {
    const state = this.states.get(document.uri.toString());
    return state && state.text === document.getText() ? state : undefined;
  }

  findingsFor(document: vscode.TextDocument): Finding[] {
    return this.current(document)?.findings ?? [];
  }

  /** The "pin to digest" fix for a ref the cursor is on, when live checks resolved it. */
  pinAt(document: vscode.TextDocument, offset: number): NonNullable<Finding['fix']> | undefined {
    return this.current(document)?.lenses.find((l) => l.pin && offset >= l.pin.edits[0].start && offset <= l.pin.edits[0].end)?.pin;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const state = this.current(document);
    if (!state) return [];
    return state.lenses.flatMap((lens) => {
      const range = new vscode.Range(document.positionAt(lens.start), document.positionAt(lens.end));
      const out = [
        new vscode.CodeLens(range, {
          title: lens.title,
          tooltip: `${lens.tooltip}. Click to copy ${lens.resolved}`,
          command: 'ociGitops.copyText',
          arguments: [lens.resolved],
        }),
      ];
      if (lens.pin)
        out.push(
          new vscode.CodeLens(range, {
            title: 'Pin to digest',
            tooltip: `Replace the ref with ${lens.digest}, keeping it as a comment`,
            command: 'ociGitops.pinToDigest',
            arguments: [document.uri, lens.pin],
          }),
        );
      return out;
    });
  }

  dispose(): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.abort.abort();
    }
    this.changed.dispose();
  }
}
