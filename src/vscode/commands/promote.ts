import * as vscode from 'vscode';
import { readPromotionTargets, type PromotionTarget } from '../../artifact/promotionTargets';
import { tagged, formatReference } from '../../oci';
import type { TagNode } from '../tree/nodes';
import type { CommandContext } from './context';
import { runCopy } from './copyFlow';

type Scope = 'user' | 'workspace' | 'workspace folder';
type TargetPick = vscode.QuickPickItem & { target: PromotionTarget; scope: Scope };

/**
 * "Promote…" on a tag: copies it, with its signatures, SBOMs and attestations, to one of
 * `ociGitops.promotionTargets` and sets the target's tag there (e.g. prod), moving it only after a
 * confirmation that shows the digest it points at now and the one it will point at. A target from
 * the workspace's settings (a cloned repository's .vscode/settings.json) is offered, but marked as
 * such in the pick and the confirmation: a repository must not quietly choose where artifacts go.
 */
export async function promote(ctx: CommandContext, node: TagNode | undefined): Promise<void> {
  if (node?.kind !== 'tag') return;
  const picks = promotionPicks(ctx);
  if (picks.length === 0) {
    const open = await vscode.window.showInformationMessage(
      'No promotion targets: add one to ociGitops.promotionTargets in your settings, e.g. {"name": "Production", "repository": "registry.example.com/prod/web", "tag": "prod"}.',
      'Open Settings',
    );
    if (open)
      await vscode.commands.executeCommand('workbench.action.openSettingsJson', { revealSetting: { key: 'ociGitops.promotionTargets' } });
    return;
  }
  const picked = await vscode.window.showQuickPick(picks, {
    title: `Promote ${node.reference} to…`,
    placeHolder: 'A promotion target from ociGitops.promotionTargets',
    ignoreFocusOut: true,
  });
  if (!picked) return;
  const { target, scope } = picked;
  const where = formatReference(tagged(target, target.tag));
  await runCopy(ctx, {
    source: node.ref,
    destination: tagged(target, target.tag),
    referrers: target.referrers,
    verb: 'Promote',
    origin:
      scope === 'user'
        ? `Promotion target "${target.name}" (your user settings): ${where}`
        : `Promotion target "${target.name}" comes from this ${scope}'s settings, not yours: check that ${where} is where this artifact should go.`,
  });
}

function promotionPicks(ctx: CommandContext): TargetPick[] {
  const inspected = vscode.workspace.getConfiguration('ociGitops').inspect<unknown>('promotionTargets');
  const picks: TargetPick[] = [];
  const scopes: [Scope, unknown][] = [
    ['user', inspected?.globalValue],
    ['workspace', inspected?.workspaceValue],
    ['workspace folder', inspected?.workspaceFolderValue],
  ];
  for (const [scope, value] of scopes) {
    const { targets, problems } = readPromotionTargets(value);
    for (const problem of problems) {
      ctx.log.warn(`${problem} (${scope} settings)`);
      void vscode.window.showWarningMessage(`${problem} (${scope} settings); that target is not offered.`);
    }
    for (const target of targets)
      picks.push({
        label: target.name,
        description: formatReference(tagged(target, target.tag)),
        detail: [
          scope === 'user' ? undefined : `$(warning) from this ${scope}'s settings, not yours`,
          target.referrers ? 'with signatures, SBOMs and attestations' : 'without referrers',
        ]
          .filter(Boolean)
          .join(' · '),
        target,
        scope,
      });
  }
  return picks;
}
