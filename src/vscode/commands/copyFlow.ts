import * as vscode from 'vscode';
import {
  copyPreview,
  copyResultText,
  destinationMoves,
  executeCopy,
  planCopy,
  referrersByKind,
  withoutReferrers,
  type CopyPlan,
  type CopyProgress,
  type DestinationTag,
} from '../../artifact/copy';
import { currentDigest, type TagMove } from '../../artifact/tagMoves';
import { formatReference, isOciError, type TaggedReference, formatRepository } from '../../oci';
import type { ImpactReport } from '../../gitops/impact/contract';
import { errorMessage, formatSize } from '../../text/format';
import { acknowledgeRefusals, copyImpact, relativePath } from '../impact/workspaceImpact';
import { impactDetail } from '../../gitops/impact/describeImpact';
import type { CommandContext } from './context';

export interface CopyRequest {
  source: TaggedReference;
  destination: TaggedReference;
  referrers: boolean;
  verb: 'Copy' | 'Promote';
  /** Said first in the confirmation: where this destination came from (a promotion target and whose settings hold it). */
  origin?: string;
}

/**
 * Copy To…, a tag dropped on a repository or registry, and Promote… all end here: read what
 * would be copied, show it (manifests, referrers by kind, bytes, and every tag that would move,
 * with both digests), copy only on the user's word, in a cancellable notification, then offer to
 * reveal the copy. One OciClient serves both sides: it resolves credentials per registry host,
 * so the source's login is never sent to the destination, nor the reverse.
 */
export async function runCopy(ctx: CommandContext, request: CopyRequest): Promise<void> {
  const { source, destination } = request;
  const sourceText = formatReference(source);
  const destinationText = formatReference(destination);
  if (sourceText === destinationText) {
    void vscode.window.showInformationMessage(`${sourceText} is both the source and the destination: nothing to copy.`);
    return;
  }
  const from = ctx.client.repository(source);
  const to = ctx.client.repository(destination);

  let prepared: { plan: CopyPlan; moves: TagMove[]; tags: DestinationTag[]; impact: ImpactReport | string | undefined } | undefined;
  try {
    prepared = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reading what to copy from ${sourceText}…`, cancellable: true },
      async (_progress, token) => {
        const abort = abortOn(token);
        const plan = await planCopy(from, source.tag, { referrers: request.referrers, signal: abort.signal });
        const [moves, current, impact] = await Promise.all([
          destinationMoves(plan, to, [destination.tag], abort.signal),
          currentDigest(to, destination.tag, abort.signal),
          // Who in the workspace will pick the copy up; a failure here is said, not fatal to the copy.
          copyImpact(ctx, source, destination, request.referrers, abort.signal).catch((error: unknown) =>
            cancelled(error)
              ? Promise.reject(error)
              : `Could not tell which workspace objects consume ${destinationText}: ${errorMessage(error)}`,
          ),
        ]);
        return { plan, moves, tags: [{ tag: destination.tag, current }], impact };
      },
    );
  } catch (error) {
    if (cancelled(error)) return;
    await failed(ctx, `Could not read ${sourceText} for the ${request.verb.toLowerCase()}`, error);
    return;
  }
  const { impact } = prepared;
  if (typeof impact === 'string') ctx.log.warn(impact);
  else if (impact && !(await acknowledgeRefusals(impact, destinationText, request.verb))) return;
  const preview = copyPreview(prepared.plan, destination, prepared.tags, prepared.moves, request.verb);
  const go = preview.movesTags ? `${request.verb} and Move Tag` : request.verb;
  // Signatures, SBOMs and attestations go along unless the user leaves them behind here.
  const alone = preview.referrers > 0 ? `${request.verb} Without Referrers` : undefined;
  const detail = [
    request.origin,
    preview.detail,
    typeof impact === 'string'
      ? impact
      : impact && impact.consumers.length > 0
        ? `Consumers in this workspace:\n${impactDetail(impact, relativePath)}`
        : undefined,
    alone
      ? `"${alone}" copies the artifact alone and leaves what refers to it behind: ${referrersByKind(prepared.plan.summary.referrers)}.`
      : undefined,
  ]
    .filter(Boolean)
    .join('\n\n');
  const show = preview.movesTags || request.origin ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const answer = await show(preview.message, { modal: true, detail }, ...[go, alone].filter((b): b is string => b !== undefined));
  if (answer === undefined || (answer !== go && answer !== alone)) return;
  const plan = answer === alone ? withoutReferrers(prepared.plan) : prepared.plan;

  const copy = () =>
    vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `${request.verb === 'Copy' ? 'Copying' : 'Promoting'} to ${destinationText}`,
        cancellable: true,
      },
      async (progress, token) => {
        const abort = abortOn(token);
        const report = progressReporter(progress);
        return executeCopy(plan, to, {
          tags: [destination.tag],
          signal: abort.signal,
          onProgress: report,
          // Consent was given for the previewed moves (a copy without referrers makes fewer); a tag
          // that moved since then is asked about again.
          confirmMove: async (now) => sameMoves(now, prepared.moves) || confirmNewMoves(destinationText, now),
        });
      },
    );
  let result;
  try {
    result = await ctx.grantWrite(destination.registry, request.verb === 'Copy' ? 'Copying to' : 'Promoting to', copy);
  } catch (error) {
    if (cancelled(error)) {
      void vscode.window.showInformationMessage(
        `${request.verb === 'Copy' ? 'Copy' : 'Promotion'} to ${destinationText} cancelled; no tag was set or moved. Running it again finishes it.`,
      );
      return;
    }
    await failed(ctx, `${request.verb === 'Copy' ? 'Copy' : 'Promotion'} of ${sourceText} to ${destinationText} failed`, error);
    return;
  }
  for (const warning of plan.warnings) ctx.log.warn(warning);
  if (result.failures.length > 0) {
    for (const failure of result.failures) ctx.log.error(`Could not copy ${failure.what}: ${failure.message}`);
    const answer = await vscode.window.showErrorMessage(
      `${result.failures.length} item${result.failures.length === 1 ? '' : 's'} could not be copied to ${formatRepository(destination)}, so tag ${destination.tag} was not set: ${result.failures[0].what}: ${result.failures[0].message}`,
      'Retry',
      'Show Log',
    );
    if (answer === 'Retry') await runCopy(ctx, request);
    else if (answer === 'Show Log') ctx.log.show();
    return;
  }
  const text = copyResultText(result);
  ctx.log.info(`${text}; tags: ${result.tags.map((t) => `${t.tag} ${t.action}${t.from ? ` from ${t.from}` : ''}`).join(', ')}`);
  await refreshRegistry(ctx, destination.registry);
  const action = await vscode.window.showInformationMessage(text, 'Reveal', 'Copy Pinned Reference');
  if (action === 'Reveal') await ctx.reveal(destination.registry, destination.repository, destination.tag);
  else if (action === 'Copy Pinned Reference') await vscode.env.clipboard.writeText(result.pinned);
}

export function abortOn(token: vscode.CancellationToken): AbortController {
  const abort = new AbortController();
  token.onCancellationRequested(() => abort.abort());
  return abort;
}

function cancelled(error: unknown): boolean {
  return isOciError(error, 'CANCELLED') || (error as Error)?.name === 'AbortError';
}

function sameMoves(now: TagMove[], agreed: TagMove[]): boolean {
  return now.every((m) => agreed.some((a) => a.tag === m.tag && a.from === m.from && a.to === m.to));
}

async function confirmNewMoves(destination: string, moves: TagMove[]): Promise<boolean> {
  const detail = moves.map((m) => `${m.tag}\n  now:   ${m.from}\n  after: ${m.to}`).join('\n\n');
  const answer = await vscode.window.showWarningMessage(
    `Since the preview, tags at ${destination} changed. Move ${moves.length === 1 ? 'it' : 'them'} anyway?`,
    { modal: true, detail: `Tags are treated as immutable: whatever follows the tag will change.\n\n${detail}` },
    'Move Tag',
  );
  return answer === 'Move Tag';
}

/** Bytes and items in the notification, four times a second at most. */
function progressReporter(progress: vscode.Progress<{ message?: string; increment?: number }>): (p: CopyProgress) => void {
  let last = 0;
  let reported = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 250 && p.phase !== 'done' && p.phase !== 'tagging') return;
    last = now;
    const percent = p.itemsTotal ? Math.floor((p.itemsDone / p.itemsTotal) * 100) : 0;
    const phase = { checking: 'checking the destination', artifact: 'artifact', referrers: 'referrers', tagging: 'tagging', done: 'done' }[
      p.phase
    ];
    progress.report({
      message: `${phase}: ${formatSize(p.bytesDone)} of ${formatSize(p.bytesTotal)}, ${p.itemsDone} of ${p.itemsTotal} items`,
      increment: Math.max(0, percent - reported),
    });
    reported = Math.max(reported, percent);
  };
}

/** The destination registry lists its repositories again (the copy may have made a new one), and its tags with them. */
export async function refreshRegistry(ctx: CommandContext, host: string): Promise<void> {
  const roots = await ctx.tree.getChildren();
  const registry = roots.find((node) => node.kind === 'registry' && node.entry.host === host);
  if (registry) ctx.tree.refresh(registry);
}

async function failed(ctx: CommandContext, what: string, error: unknown): Promise<void> {
  const message = (error as Error)?.message ?? String(error);
  ctx.log.error(`${what}: ${message}`);
  const answer = await vscode.window.showErrorMessage(`${what}: ${message}`, 'Show Log');
  if (answer) ctx.log.show();
}
