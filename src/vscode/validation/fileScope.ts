import { existsSync } from 'node:fs';
import type * as vscode from 'vscode';
import { mayHoldOurKinds } from '../../gitops/kindSniff';
import { skipReason, type SkipReason } from '../../gitops/scope';

/**
 * Why an editor document gets no diagnostics from us, if it does not: none of our kinds (the
 * cheap text check first, as activation does), or a Helm template (by its place in a chart on
 * disk, or by the template actions in its text).
 */
export function editorSkipReason(uri: vscode.Uri, text: string): SkipReason | undefined {
  if (!mayHoldOurKinds(text)) return 'not-ours';
  return uri.scheme === 'file' ? skipReason(text, uri.fsPath, existsSync) : skipReason(text);
}
