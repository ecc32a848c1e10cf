import * as vscode from 'vscode';
import { wouldRefuse, type ConsumerImpact, type ImpactReport } from '../../gitops/impact/contract';
import { impactDetail, refusalHeadline } from '../../gitops/impact/describeImpact';
import type { Reference } from '../../oci';
import type { CommandContext } from '../commands/context';

// The editor's side of "who will pick this up, and will they accept it": the workspace folders
// (with unsaved YAML editors' text) as the impact engine's input, and the modal that makes a user
// acknowledge a consumer that would refuse the artifact. The engine loads on first use.

/** Folders on disk and the unsaved editors that replace their files; undefined without a local folder. */
function workspaceInput(): { files: string[]; overrides: Map<string, string> } | undefined {
  const files = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  if (files.length === 0) return undefined;
  const overrides = new Map<string, string>();
  for (const document of vscode.workspace.textDocuments)
    if (document.isDirty && document.uri.scheme === 'file') overrides.set(document.uri.fsPath, document.getText());
  return { files, overrides };
}

function registryOf(ctx: CommandContext) {
  return { repository: (registry: string, repository: string) => ctx.client.repository({ registry, repository }) };
}

/** Who consumes what a copy or promotion will make exist at `destination` (undefined without a workspace folder). */
export async function copyImpact(
  ctx: CommandContext,
  source: Reference,
  destination: Reference,
  referrers: boolean,
  signal: AbortSignal,
): Promise<ImpactReport | undefined> {
  const input = workspaceInput();
  if (!input) return undefined;
  const [{ impactOf }, { copyCandidate }] = await Promise.all([
    import('../../gitops/impact/impact.js'),
    import('../../gitops/impact/copyCandidate.js'),
  ]);
  const from = ctx.client.repository(source);
  const candidate = await copyCandidate(from, source, destination, referrers, signal);
  return impactOf({ candidate, ...input, registry: registryOf(ctx), childManifestsFrom: from, signal });
}

/**
 * Who consumes what a push will make exist under each of `tags`, judged from the packed manifest
 * before anything is uploaded (undefined without a workspace folder). The push does not sign, so
 * the artifact carries no signature: a consumer that verifies refuses it until it is signed. Each
 * consumer is reported under the tag that matters most to it: one it would refuse, else one it picks.
 */
export async function pushImpact(
  ctx: CommandContext,
  manifestBytes: Buffer,
  destination: Reference,
  tags: string[],
  signal: AbortSignal,
): Promise<ImpactReport | undefined> {
  const input = workspaceInput();
  if (!input) return undefined;
  const { impactOf } = await import('../../gitops/impact/impact.js');
  const reports = await Promise.all(
    tags.map((tag) =>
      impactOf({
        candidate: { reference: { ...destination, tag }, manifestBytes, signatures: [] },
        ...input,
        registry: registryOf(ctx),
        signal,
      }),
    ),
  );
  const rank = (impact: ConsumerImpact) => (wouldRefuse(impact) ? 2 : impact.pick.outcome === 'picks' ? 1 : 0);
  const consumers = reports[0].consumers.map((first, index) =>
    reports.map((report) => report.consumers[index]).reduce((best, next) => (rank(next) > rank(best) ? next : best), first),
  );
  return { ...reports[0], consumers };
}

/** Whether a consumer refuses for want of a signature or attestation the push does not make. */
export function refusedForSignatures(report: ImpactReport): boolean {
  return report.consumers
    .filter(wouldRefuse)
    .some((impact) => impact.checks.some((c) => c.outcome === 'fail' && /spec\.verify|Kyverno|policy-controller/.test(c.check)));
}

/** Who consumes a tag that exists (Show Consumers, the artifact panel); undefined without a workspace folder. */
export async function tagImpact(ctx: CommandContext, ref: Reference, signal: AbortSignal): Promise<ImpactReport | undefined> {
  const input = workspaceInput();
  if (!input) return undefined;
  const { impactOf } = await import('../../gitops/impact/impact.js');
  return impactOf({ candidate: ref, ...input, registry: registryOf(ctx), signal });
}

export function relativePath(file: string): string {
  return vscode.workspace.asRelativePath(file, false);
}

/**
 * When a consumer would pick the artifact up and refuse it, a modal names it and why, before
 * anything moves; only the explicit "<verb> Anyway" goes on (Escape and Cancel do not).
 */
export async function acknowledgeRefusals(report: ImpactReport, destination: string, verb: string, note?: string): Promise<boolean> {
  const headline = refusalHeadline(report, destination);
  if (!headline) return true;
  const anyway = `${verb} Anyway`;
  const answer = await vscode.window.showWarningMessage(
    headline,
    {
      modal: true,
      detail: [impactDetail(report, relativePath), note, `Nothing has been ${verb === 'Push' ? 'pushed' : 'copied'} yet.`]
        .filter(Boolean)
        .join('\n\n'),
    },
    anyway,
  );
  return answer === anyway;
}
