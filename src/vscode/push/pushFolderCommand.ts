import * as vscode from 'vscode';
import { listFolder } from '../../artifact/folderEntries';
import { folderKey } from '../../artifact/hostPaths';
import { describeProblems, type NameProblem } from '../../artifact/portableNames';
import { FORMAT_DESCRIPTIONS, type ArtifactFormat } from '../../artifact/formats';
import { pushFolder, type TagMove } from '../../artifact/push';
import { readPushTargets, writePushTarget, type PushTarget } from '../../artifact/pushTargets';
import { formatReference, isOciError, parseReference, validateTag, type Reference, formatRepository } from '../../oci';
import type { CommandContext } from '../commands/context';
import { openConsumerYaml } from '../commands/createConsumerYaml';
import { ProgressReporter } from './progressReporter';
import { passesYamlGate } from './yamlGate';
import { errorMessage, formatSize, shortDigest } from '../../text/format';
import { failure } from '../commandWrapper/commandFailure';
import { isRestricted } from '../restrictedMode';
import { acknowledgeRefusals, pushImpact, refusedForSignatures, relativePath } from '../impact/workspaceImpact';
import { impactDetail, pickedUpText } from '../../gitops/impact/describeImpact';
import type { ImpactReport } from '../../gitops/impact/contract';
import { pickConsumer } from '../impact/consumerPick';

/** "Push Folder as OCI Artifact…": from the Explorer context menu (a folder) or the palette. */
export async function pushFolderCommand(ctx: CommandContext, uri: vscode.Uri | undefined): Promise<void> {
  if (isRestricted()) {
    // Pushing runs git in the folder (its config can run programs) and writes to a registry.
    const choice = await vscode.window.showWarningMessage(
      'Push Folder is withheld in Restricted Mode: it runs git in the folder and writes to a registry. Trust this workspace to push from it.',
      'Manage Workspace Trust',
    );
    if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
    return;
  }
  const folder = uri ?? (await pickFolder());
  if (!folder) return;
  const workspace = vscode.workspace.getWorkspaceFolder(folder);
  const root = workspace?.uri.fsPath ?? folder.fsPath;
  const key = folderKey(root, folder.fsPath);

  let remembered: PushTarget | undefined;
  try {
    remembered = (await readPushTargets(root))[key];
  } catch (error) {
    void vscode.window.showWarningMessage(errorMessage(error));
  }
  let target = remembered;
  if (!target) {
    target = await askTarget(key);
    if (!target) return;
  }
  let ref: Reference;
  try {
    ref = parseReference(target.reference, { allowDockerHubShortNames: false });
  } catch (error) {
    throw failure(`The push target of ${key} in .oci-gitops.yaml is invalid`, error);
  }

  let listing;
  try {
    listing = await listFolder(folder.fsPath, { allowNonportableNames: true });
  } catch (error) {
    throw failure(`Cannot push ${key}`, error);
  }
  if (listing.nonportable.length > 0 && !(await confirmNonportable(key, listing.nonportable))) return;
  if (!(await passesYamlGate(ctx.problems, listing, key))) return;
  const tags = [ref.tag ?? 'latest', ...(target.tags ?? [])];
  const ignored = listing.ignored.length
    ? `\nIgnored: ${listing.ignored.slice(0, 8).join(', ')}${listing.ignored.length > 8 ? `, and ${listing.ignored.length - 8} more` : ''}`
    : '';
  const choice = await vscode.window.showInformationMessage(
    `Push ${key} to ${formatRepository(ref)}?`,
    {
      modal: true,
      detail: `${listing.files.length} files, ${formatSize(listing.totalBytes)}, as ${tags.join(', ')} (format: ${target.format ?? 'default'}).${ignored}\n\n${FORMAT_DESCRIPTIONS[target.format ?? 'default']}`,
    },
    'Push',
    'Change Target…',
  );
  if (choice === 'Change Target…') {
    const changed = await askTarget(key, target);
    if (changed) await runPush(ctx, folder, root, key, changed, listing.nonportable.length > 0);
    return;
  }
  if (choice !== 'Push') return;
  await runPush(ctx, folder, root, key, target, listing.nonportable.length > 0);
}

/** A folder whose names are not one file on every desktop is pushed only when the user says it is meant for Linux alone. */
async function confirmNonportable(key: string, problems: NameProblem[]): Promise<boolean> {
  const answer = await vscode.window.showWarningMessage(
    `${key} has names that are not the same file on Windows, macOS and Linux. Push anyway?`,
    {
      modal: true,
      detail: `On macOS or Windows these files would collide, vanish or fail to open when the artifact is pulled or previewed:\n\n${describeProblems(problems, '\n')}\n\nRename them or add them to .sourceignore, or push anyway if this folder is only ever used on Linux.`,
    },
    'Push Anyway',
  );
  return answer === 'Push Anyway';
}

async function runPush(
  ctx: CommandContext,
  folder: vscode.Uri,
  root: string,
  key: string,
  target: PushTarget,
  allowNonportableNames: boolean,
): Promise<void> {
  const ref = parseReference(target.reference, { allowDockerHubShortNames: false });
  const repository = formatRepository(ref);
  let consumers: ImpactReport | undefined;
  // A push tried again after write:packages was granted does not ask again what the user agreed to.
  let agreedMoves: TagMove[] = [];
  let consumersAgreed = false;
  const confirmMove = async (moves: TagMove[]) => {
    if (moves.every((m) => agreedMoves.some((a) => a.tag === m.tag && a.from === m.from && a.to === m.to))) return true;
    const agreed = await confirmMoves(repository, moves);
    if (agreed) agreedMoves = moves;
    return agreed;
  };
  const push = () =>
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Pushing ${key} to ${formatReference(ref)}`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        const reporter = new ProgressReporter(progress);
        return pushFolder(ctx.client, folder.fsPath, ref, {
          tags: target.tags,
          format: target.format,
          signal: abort.signal,
          onProgress: (p) => reporter.report(p),
          confirmMove,
          allowNonportableNames,
          ...(vscode.workspace.workspaceFolders?.some((f) => f.uri.scheme === 'file')
            ? {
                beforeUpload: async (manifest: Buffer) =>
                  consumersAgreed ||
                  (consumersAgreed = await consumersAccept(ctx, manifest, ref, target, abort.signal, (report) => (consumers = report))),
              }
            : {}),
        });
      },
    );
  try {
    const result = await ctx.grantWrite(ref.registry, 'Pushing to', push);
    await writePushTarget(root, key, target).catch((error: Error) =>
      ctx.log.warn(`Could not remember the push target in .oci-gitops.yaml: ${error.message}`),
    );
    ctx.log.info(
      `Pushed ${key} to ${result.pinned} as ${result.tags.join(', ')} (${formatSize(result.uploadedBytes)} uploaded, ${result.skippedBlobs} blobs already present)`,
    );
    ctx.tree.refresh();
    // Who picks it up is said in the one completion message; a refusal was acknowledged before the upload.
    const pickedUp = consumers && pickedUpText(consumers);
    const action = await vscode.window.showInformationMessage(
      `Pushed ${key} as ${repository}@${shortDigest(result.digest)}… (${result.tags.join(', ')})${pickedUp ? ` — ${pickedUp}` : ''}`,
      ...(pickedUp ? ['Show Consumers'] : []),
      'Copy Pinned Reference',
      'Reveal in Registry Explorer',
      'Sign…',
      'Create Flux OCIRepository',
      'Create Argo CD Application',
    );
    if (action === 'Show Consumers' && consumers) await pickConsumer(consumers, `Consumers of ${repository}:${result.tags.join(', ')}`);
    else if (action === 'Copy Pinned Reference') await vscode.env.clipboard.writeText(result.pinned);
    else if (action === 'Reveal in Registry Explorer') await ctx.reveal(ref.registry, ref.repository, result.tags[0]);
    else if (action === 'Sign…') await vscode.commands.executeCommand('ociGitops.signArtifact', result.pinned);
    else if (action === 'Create Flux OCIRepository') await openConsumerYaml('flux', ref, result.digest);
    else if (action === 'Create Argo CD Application') await openConsumerYaml('argo', ref, result.digest);
  } catch (error) {
    if (isOciError(error, 'CANCELLED')) {
      void vscode.window.showInformationMessage(`Push of ${key} cancelled; no tag was created or moved.`);
      return;
    }
    ctx.log.error(`Push of ${key} to ${formatReference(ref)} failed: ${errorMessage(error)}`);
    const again = await vscode.window.showErrorMessage(`Push of ${key} failed: ${errorMessage(error)}`, 'Retry', 'Show Log');
    if (again === 'Retry') await runPush(ctx, folder, root, key, target, allowNonportableNames);
    else if (again === 'Show Log') ctx.log.show();
  }
}

/**
 * Who in the workspace will pick the packed artifact up under the tags it is pushed as, asked
 * before anything is uploaded: a consumer that would refuse it is acknowledged ("Push Anyway") or
 * nothing is pushed. Not knowing (the workspace cannot be read) is logged, not fatal to the push.
 */
async function consumersAccept(
  ctx: CommandContext,
  manifest: Buffer,
  ref: Reference,
  target: PushTarget,
  signal: AbortSignal,
  judged: (report: ImpactReport) => void,
): Promise<boolean> {
  const tags = [...new Set([ref.tag ?? 'latest', ...(target.tags ?? [])])];
  const destination = `${formatRepository(ref)}:${tags.join(', ')}`;
  let impact;
  try {
    impact = await pushImpact(ctx, manifest, ref, tags, signal);
  } catch (error) {
    if (signal.aborted || isOciError(error, 'CANCELLED')) throw error;
    ctx.log.warn(`Could not tell which workspace objects consume ${destination}: ${errorMessage(error)}`);
    return true;
  }
  if (!impact || impact.consumers.length === 0) return true;
  judged(impact);
  ctx.log.info(`Consumers of ${destination} in this workspace:\n${impactDetail(impact, relativePath)}`);
  const unsigned = refusedForSignatures(impact)
    ? 'The push does not sign: it is pushed unsigned, so sign it (Sign… after the push) before Flux picks it up.'
    : undefined;
  return acknowledgeRefusals(impact, destination, 'Push', unsigned);
}

async function confirmMoves(repository: string, moves: TagMove[]): Promise<boolean> {
  const detail = moves.map((m) => `${m.tag}\n  now:   ${m.from}\n  after: ${m.to}`).join('\n\n');
  const answer = await vscode.window.showWarningMessage(
    `${moves.length === 1 ? `Tag ${moves[0].tag}` : `${moves.length} tags`} of ${repository} already point${moves.length === 1 ? 's' : ''} at another artifact. Move ${moves.length === 1 ? 'it' : 'them'}?`,
    { modal: true, detail: `Tags are treated as immutable: anything that follows the tag will change.\n\n${detail}` },
    'Move Tag',
  );
  return answer === 'Move Tag';
}

async function askTarget(key: string, current?: PushTarget): Promise<PushTarget | undefined> {
  const reference = await vscode.window.showInputBox({
    title: `Push ${key}: target`,
    prompt: 'registry/repository:tag, e.g. ghcr.io/org/fleet/apps:1.0.0 (remembered in .oci-gitops.yaml)',
    value: current?.reference,
    ignoreFocusOut: true,
    validateInput: (value) => {
      try {
        const ref = parseReference(value, { allowDockerHubShortNames: false });
        if (ref.digest) return 'Push to a tag, not a digest';
        if (!ref.tag) return 'Add a tag, e.g. :1.0.0';
        return undefined;
      } catch (error) {
        return errorMessage(error);
      }
    },
  });
  if (!reference) return undefined;
  const extra = await vscode.window.showInputBox({
    title: `Push ${key}: more tags (optional)`,
    prompt: 'Other tags for the same artifact, separated by commas, e.g. latest, 1.4 (leave empty for none)',
    value: current?.tags?.join(', ') ?? '',
    ignoreFocusOut: true,
    validateInput: (value) => {
      for (const tag of splitTags(value)) {
        try {
          validateTag(tag);
        } catch (error) {
          return errorMessage(error);
        }
      }
      return undefined;
    },
  });
  if (extra === undefined) return undefined;
  const tags = splitTags(extra);
  const formats: (vscode.QuickPickItem & { format: ArtifactFormat })[] = (['default', 'flux', 'oras'] as const).map((format) => ({
    label: format === 'default' ? 'Standard tarball (recommended)' : format === 'flux' ? 'Flux native' : 'ORAS files',
    detail: FORMAT_DESCRIPTIONS[format],
    format,
    picked: (current?.format ?? 'default') === format,
  }));
  const format = await vscode.window.showQuickPick(formats, { title: `Push ${key}: format`, ignoreFocusOut: true });
  if (!format) return undefined;
  return {
    reference: reference.trim(),
    ...(tags.length ? { tags } : {}),
    ...(format.format !== 'default' ? { format: format.format } : {}),
  };
}

function splitTags(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

async function pickFolder(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    openLabel: 'Push This Folder',
  });
  return picked?.[0];
}
