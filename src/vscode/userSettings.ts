import * as vscode from 'vscode';

/**
 * Settings that decide what is trusted (signing keys, trust roots, identities, Sigstore and OIDC
 * endpoints, a registry's plain HTTP and CA file, token realms) are read from the user's settings
 * only. A cloned repository's .vscode/settings.json must not choose its own trust anchors: a value
 * there is ignored, and the user is told once which settings were ignored and why. package.json
 * also declares these settings application-scoped, so VS Code itself does not apply workspace
 * values; reading through inspect() keeps that true whatever the host does.
 */
export function userValue<T>(section: string, key: string): T | undefined {
  const inspected = vscode.workspace.getConfiguration(section).inspect<T>(key);
  if (!inspected) return undefined;
  for (const value of [inspected.workspaceValue, inspected.workspaceFolderValue]) {
    if (value !== undefined && JSON.stringify(value) !== JSON.stringify(inspected.globalValue)) noticeIgnored(`${section}.${key}`);
  }
  return inspected.globalValue ?? inspected.defaultValue;
}

const noticed = new Set<string>();
let pending: string[] = [];
let timer: NodeJS.Timeout | undefined;

/** Tells the user (once per setting and session, batched) that a workspace value was ignored. */
export function noticeIgnored(name: string): void {
  if (noticed.has(name)) return;
  noticed.add(name);
  pending.push(name);
  timer ??= setTimeout(() => {
    const names = pending;
    pending = [];
    timer = undefined;
    const message = `OCI GitOps ignored ${names.join(', ')} from this workspace's settings: what is trusted (keys, trust roots, identities, endpoints, plain HTTP, CA files, token realms) is read only from your user settings, so a cloned repository cannot choose it. If you trust these values, set them in your user settings.`;
    console.warn(message);
    void vscode.window.showWarningMessage(message, 'Open User Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'ociGitops');
    });
  }, 300);
}
