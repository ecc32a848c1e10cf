import * as vscode from 'vscode';
import {
  executeRepositoryCopy,
  planRepositoryCopy,
  releaseTags,
  repositoryCopyPreview,
  tagOutcomeCounts,
  tagResultLines,
  type RepositoryCopyPlan,
} from '../../artifact/copy';
import { selectTags, type TagSelection } from '../../gitops/semver';
import { formatRepository } from '../../oci';
import { failure, isCancellation } from '../commandWrapper/commandFailure';
import type { RepositoryNode } from '../tree/nodes';
import type { CommandContext } from './context';
import { abortOn, refreshRegistry } from './copyFlow';
import { pickRegistry, pickRepository } from './copyTo';

type SelectionPick = vscode.QuickPickItem & { ask?: 'semver' | 'tagRegex' };

/**
 * "Copy Repository To…" on a repository: asks the destination as Copy To… does, then which tags
 * (all, a semver constraint, a Go regular expression), reads them all, and copies nothing until
 * the user has seen how many tags go, how many are already there and which drifted. Drifted tags
 * are left alone unless the user moves them; the copy runs in a cancellable notification, and
 * every tag ends fully copied or untouched.
 */
export async function copyRepositoryTo(ctx: CommandContext, node: RepositoryNode | undefined): Promise<void> {
  if (node?.kind !== 'repository') return;
  const source = node.ref;
  const sourceText = formatRepository(source);
  const registry = await pickRegistry(ctx, source, `Copy Repository ${sourceText} To… (1/3): registry`);
  if (!registry) return;
  const host = typeof registry === 'string' ? registry : registry.entry.host;
  const repository = await pickRepository(
    ctx,
    typeof registry === 'string' ? undefined : registry,
    host,
    source,
    `Copy Repository To… (2/3): repository at ${host}`,
  );
  if (!repository) return;
  const destination = { registry: host, repository };
  if (formatRepository(destination) === sourceText) {
    void vscode.window.showInformationMessage(`${sourceText} is both the source and the destination: nothing to copy.`);
    return;
  }
  const selection = await pickSelection();
  if (!selection) return;
  const from = ctx.client.repository(source);
  const to = ctx.client.repository(destination);

  let plan: RepositoryCopyPlan | undefined;
  try {
    plan = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reading the tags of ${sourceText}…`, cancellable: true },
      async (progress, token) => {
        const abort = abortOn(token);
        const listed: string[] = [];
        for await (const tag of from.tags({ signal: abort.signal })) listed.push(tag);
        const selected = selectTags(releaseTags(listed), selection);
        if (selected.error) throw new Error(selected.error);
        if (selected.tags.length === 0) return undefined;
        progress.report({ message: `${selected.tags.length} tags: reading each one and the destination's` });
        return planRepositoryCopy(from, to, selected.tags, { referrers: true, signal: abort.signal, listedTags: listed });
      },
    );
  } catch (error) {
    if (isCancellation(error)) return;
    throw failure(`Could not read the tags of ${sourceText}`, error);
  }
  if (!plan) {
    void vscode.window.showInformationMessage(`No tag of ${sourceText} is selected: nothing to copy.`);
    return;
  }

  const preview = repositoryCopyPreview(plan);
  const copy = 'Copy';
  const move = plan.counts.drifted > 0 ? 'Copy and Move Drifted Tags' : undefined;
  const show = move ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const answer = await show(preview.message, { modal: true, detail: preview.detail }, ...[copy, move].filter((b): b is string => !!b));
  if (answer !== copy && (answer === undefined || answer !== move)) return;

  const chosen = plan;
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Copying ${sourceText} to ${formatRepository(destination)}`,
      cancellable: true,
    },
    async (progress, token) => {
      const abort = abortOn(token);
      let reported = 0;
      return executeRepositoryCopy(chosen, {
        force: answer === move,
        signal: abort.signal,
        onProgress: (p) => {
          const percent = Math.floor((p.tagsDone / p.tagsTotal) * 100);
          progress.report({ message: `${p.tagsDone} of ${p.tagsTotal} tags`, increment: percent - reported });
          reported = percent;
        },
      });
    },
  );
  for (const text of tagResultLines(result)) ctx.log.info(`${sourceText} → ${formatRepository(destination)}: ${text}`);
  await refreshRegistry(ctx, host);
  const counts = tagOutcomeCounts(result.counts);
  if (result.cancelled) {
    void vscode.window.showInformationMessage(
      `Copy of ${sourceText} cancelled (${counts}); the tags not copied are untouched. Running it again finishes it.`,
    );
  } else if (result.counts.failed > 0) {
    const first = result.tags.find((t) => t.outcome === 'failed')!;
    const action = await vscode.window.showErrorMessage(
      `${result.counts.failed} tag${result.counts.failed === 1 ? '' : 's'} of ${sourceText} could not be copied and ${result.counts.failed === 1 ? 'is' : 'are'} untouched (${counts}); ${first.tag}: ${first.message ?? ''}`,
      'Show Log',
    );
    if (action) ctx.log.show();
  } else if (result.counts.drifted > 0) {
    const action = await vscode.window.showWarningMessage(
      `Copied ${sourceText} to ${formatRepository(destination)} (${counts}); drifted tags were left alone.`,
      'Show Log',
    );
    if (action) ctx.log.show();
  } else {
    void vscode.window.showInformationMessage(`Copied ${sourceText} to ${formatRepository(destination)} (${counts}).`);
  }
}

async function pickSelection(): Promise<TagSelection | undefined> {
  const picks: SelectionPick[] = [
    { label: 'All tags', description: 'every tag, with its signatures, SBOMs and attestations' },
    { label: 'Versions a semver constraint picks…', description: "as Flux's ref.semver reads tags", ask: 'semver' },
    { label: 'Tags a regular expression matches…', description: 'Go (RE2) syntax, unanchored', ask: 'tagRegex' },
  ];
  const picked = await vscode.window.showQuickPick(picks, { title: 'Copy Repository To… (3/3): which tags', ignoreFocusOut: true });
  if (!picked) return undefined;
  if (!picked.ask) return {};
  const value = await vscode.window.showInputBox({
    title: picked.ask === 'semver' ? 'Copy Repository To…: semver constraint' : 'Copy Repository To…: tag pattern',
    prompt: picked.ask === 'semver' ? 'A Masterminds constraint, e.g. ^1.2 or >=1.0.0 <2.0.0' : 'A Go regular expression, e.g. ^v1[.]',
    ignoreFocusOut: true,
    validateInput: (text) => selectTags([], { [picked.ask!]: text.trim() }).error,
  });
  return value?.trim() ? { [picked.ask]: value.trim() } : undefined;
}
