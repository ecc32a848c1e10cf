import * as vscode from 'vscode';

/**
 * What OCI GitOps withholds in Restricted Mode (a workspace the user has not trusted), in the words
 * the status bar item, the log and the refusals use. The Registries view, the `oci:` file system
 * and offline validation keep working: they read registries of the user's own settings and run
 * no code of the workspace. Withheld is what lets a cloned repository act with the user's
 * credentials or run code: registry queries for hosts its files name (live checks, tag lists,
 * completion), trust material found beside its manifests, git in its folders, and pushes.
 * package.json's capabilities.untrustedWorkspaces.restrictedConfigurations has VS Code drop the
 * workspace's own values of the settings listed in WITHHELD_SETTINGS.
 */
export const WITHHELD = [
  'live registry checks, tag lists and registry completion for the references in its YAML (offline validation still runs)',
  'Push Folder as OCI Artifact (it runs git in the folder and writes to a registry)',
  "registries, promotion targets, Docker config, live-check and preview-limit settings from the workspace's settings",
  "the MCP server's access to the workspace's folders, and its write tools",
  'the Clusters view, its CodeLens and Reconcile now (a kubeconfig can name exec plugins, programs that run to get a token)',
];

/** True while the workspace is in Restricted Mode. */
export function isRestricted(): boolean {
  return !vscode.workspace.isTrusted;
}

/** The refusal of a registry query driven by the workspace's files, while it is untrusted. */
export class WithheldInRestrictedMode extends Error {
  constructor(what: string) {
    super(`${what} is withheld in Restricted Mode: trust this workspace (Manage Workspace Trust) to query registries for its files.`);
    this.name = 'WithheldInRestrictedMode';
  }
}

/** Throws WithheldInRestrictedMode while the workspace is untrusted. */
export function refuseWhileRestricted(what: string): void {
  if (isRestricted()) throw new WithheldInRestrictedMode(what);
}

/**
 * In Restricted Mode, says so: a status bar item whose tooltip lists what is withheld (a click
 * opens Manage Workspace Trust) and a line in the log. Both go when the workspace is trusted.
 */
export function announceRestrictedMode(log: vscode.LogOutputChannel): vscode.Disposable {
  if (!isRestricted()) return new vscode.Disposable(() => undefined);
  log.info(`Restricted Mode: browsing and offline validation only. Withheld until this workspace is trusted: ${WITHHELD.join('; ')}.`);
  const item = vscode.window.createStatusBarItem('ociGitops.restrictedMode', vscode.StatusBarAlignment.Left, 10);
  item.name = 'OCI GitOps Restricted Mode';
  item.text = '$(shield) OCI GitOps: offline';
  item.tooltip = new vscode.MarkdownString(
    `**OCI GitOps in Restricted Mode**\n\nBrowsing registries and offline validation work. Withheld until you trust this workspace:\n\n${WITHHELD.map((line) => `- ${line}`).join('\n')}`,
  );
  item.command = { command: 'workbench.trust.manage', title: 'Manage Workspace Trust' };
  item.show();
  const granted = vscode.workspace.onDidGrantWorkspaceTrust(() => {
    log.info('This workspace is now trusted: live registry checks and Push Folder are available.');
    item.dispose();
  });
  return vscode.Disposable.from(item, granted);
}
