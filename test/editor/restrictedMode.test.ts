// The packaged extension in a real VS Code whose workspace is not trusted (Restricted Mode): it
// activates, browses a real registry of the user's settings, validates YAML offline, asks the
// registry nothing for the workspace's files, says what it withholds, and its Get Started
// walkthrough opens from the Welcome page; the Clusters view reads no cluster and runs no kubeconfig
// exec plugin. Trusting the workspace then brings the live check and the clusters back.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { OciClient } from '../../src/oci';
import { seedSampleArtifacts } from '../sandbox/seed';
import { ociRepository } from '../support/clusterObjects';
import { startFleet, type Fleet } from '../support/clusterFleet';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { startCodeServer, type RunningCodeServer } from './codeServer';
import { editorSuiteSkip, expandUntil, openWorkbench, quickOpen, runCommand as runPaletteCommand, SHOTS, stepper, VSIX } from './workbench';

const EDITOR_SKIP = editorSuiteSkip();
const WORKSPACE_REGISTRY = 'workspace-registry.example';

describe('the packaged extension in Restricted Mode (code-server with workspace trust on)', { skip: EDITOR_SKIP, timeout: 300_000 }, () => {
  let registry: RunningRegistry;
  let fleet: Fleet;
  let editor: RunningCodeServer;
  let browser: Browser;
  let page: Page;
  const step = stepper(() => page, 'restricted-');
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `restricted-${name}.png`) });
  const treeRow = (label: string) => page.locator('.pane-body .monaco-list-row', { hasText: label }).first();
  const problem = (text: string) => page.locator('.markers-panel .monaco-list-row', { hasText: text });

  /** Runs a palette command after closing whatever hover or menu the last step left open. */
  async function runCommand(title: string): Promise<void> {
    await page.keyboard.press('Escape');
    await runPaletteCommand(page, title);
  }

  /** Shows the extension's log and waits for a line holding `text`. */
  async function logShows(text: string): Promise<void> {
    await runCommand('OCI GitOps: Show Log');
    await page.locator('.part.panel .view-lines', { hasText: text }).first().waitFor({ timeout: 30_000 });
  }

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    registry = await startRegistry({ auth: 'none', accessLog: true });
    const client = new OciClient();
    await seedSampleArtifacts(client, registry.host);
    await client.close();
    // Two clusters, one reached through an exec plugin: in Restricted Mode neither may be asked.
    const podinfo = ociRepository({ namespace: 'flux-system', name: 'podinfo', repository: `${registry.host}/apps/podinfo`, tag: '1.1.0' });
    fleet = await startFleet({ prod: [podinfo], staging: [] });
    editor = await startCodeServer(
      VSIX,
      {
        'ociGitops.registries': [{ url: registry.host }],
        'ociGitops.dockerConfig.enabled': false,
        'ociGitops.clusters.kubeconfig': fleet.kubeconfigFile,
      },
      {
        // The workspace names its own registry; Restricted Mode must not take it.
        '.vscode/settings.json': JSON.stringify({ 'ociGitops.registries': [{ url: WORKSPACE_REGISTRY }] }),
        // One schema error found offline, and a tag that a live check would find missing.
        'clusters/source.yaml': `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  interval: 5m\n  url: oci://${registry.host}/apps/podinfo\n  ref:\n    tag: 9.9.9\n  insecurez: true\n`,
      },
      { workspaceTrust: 'untrusted' },
    );
    ({ browser, page } = await openWorkbench(editor.url));
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await editor?.stop().catch(() => undefined);
    await registry?.stop().catch(() => undefined);
    await fleet?.stop().catch(() => undefined);
  });

  test('the workspace opens in Restricted Mode and the extension activates there, saying what it withholds', async () => {
    await step('see VS Code in Restricted Mode', async () => {
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 60_000 });
    });
    await step('open the Registries view, which activates the extension', async () => {
      await page.locator('.activitybar [aria-label^="OCI GitOps"]').first().click();
      await page.locator('.sidebar .title-label', { hasText: 'OCI GitOps' }).first().waitFor();
    });
    await step('see the status bar item and its list of what is withheld', async () => {
      const item = page.locator('.statusbar-item', { hasText: 'OCI GitOps: offline' }).first();
      await item.waitFor({ timeout: 60_000 });
      await item.hover();
      const tooltip = page.locator('.monaco-hover', { hasText: 'OCI GitOps in Restricted Mode' }).first();
      await tooltip.waitFor({ timeout: 15_000 });
      const text = await tooltip.innerText();
      assert.match(text, /live registry checks/);
      assert.match(text, /Push Folder as OCI Artifact/);
      assert.match(text, /registries, promotion targets/);
      await shot('1-status');
      await page.mouse.move(5, 5);
    });
    await step('read the same in the log', () => logShows('Restricted Mode: browsing and offline validation only'));
  });

  test("the Registries view browses the real registry of the user's settings, not the one the workspace names", async () => {
    await step('expand the registry down to the tags of apps/podinfo', async () => {
      await treeRow(registry.host).waitFor({ timeout: 30_000 });
      await expandUntil(treeRow(registry.host), treeRow('apps/podinfo'));
      await expandUntil(treeRow('apps/podinfo'), treeRow('1.1.0'));
      await shot('2-browse');
    });
    assert.equal(await treeRow(WORKSPACE_REGISTRY).count(), 0, "the workspace's registry setting is withheld");
  });

  test('a YAML file gets its offline findings but no live check, and the registry is not asked about it', async () => {
    await step('open the OCIRepository and see the schema error', async () => {
      await quickOpen(page, 'source.yaml');
      await runCommand('View: Focus Problems');
      await problem('Unknown field "insecurez"').first().waitFor({ timeout: 60_000 });
    });
    // The live pass starts 600 ms after the offline one settles; give it ample time to show up.
    await page.waitForTimeout(5_000);
    await shot('3-offline-only');
    assert.equal(await problem('does not exist').count(), 0, 'no live-check finding');
    assert.deepEqual(
      registry.requests().filter((line) => line.includes('9.9.9')),
      [],
    );
    await step('read in the log that validation runs offline, and why', () =>
      logShows('Validating offline (Restricted Mode); withheld: live registry checks'),
    );
  });

  test('Push Folder is not offered in the Explorer', async () => {
    await step('open the context menu of a folder', async () => {
      await page.locator('.activitybar [aria-label^="Explorer"]').first().click();
      const folder = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'clusters' }).first();
      await folder.waitFor();
      await folder.click({ button: 'right' });
      await page.locator('.context-view .action-label', { hasText: 'New File' }).first().waitFor();
    });
    const labels = await page.locator('.context-view .action-label').allInnerTexts();
    await page.keyboard.press('Escape');
    assert.ok(!labels.includes('Push Folder as OCI Artifact…'), `the menu offers ${labels.join(', ')}`);
  });

  test('the Get Started walkthrough opens from the Welcome page, shows its steps and the Restricted Mode note, and its buttons run', async () => {
    await step('open the walkthrough from Help: Welcome', async () => {
      await runCommand('Help: Welcome');
      const entry = page.locator('.gettingStartedContainer button', { hasText: 'Get Started with OCI GitOps' }).first();
      await entry.waitFor({ timeout: 30_000 });
      await entry.click();
      await page.locator('.gettingStartedContainer .getting-started-step', { hasText: 'Add a registry' }).first().waitFor();
    });
    const steps = (await page.locator('.gettingStartedContainer .getting-started-step .step-title').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(steps, [
      'Add a registry',
      'Browse repositories, tags and files',
      'Validate Flux and Argo CD YAML',
      'Sign what you pushed',
      'In Restricted Mode',
    ]);
    await step("show the first step's markdown", async () => {
      await page.locator('.gettingStartedContainer .getting-started-step', { hasText: 'Add a registry' }).first().click();
      const media = page.frameLocator('.gettingStartedContainer iframe.webview').frameLocator('iframe#active-frame');
      await media.getByText('Registries you signed in to with', { exact: false }).waitFor({ timeout: 30_000 });
      await shot('4-walkthrough');
    });
    await step('run its Add Registry… button', async () => {
      // A step is itself a button whose name is all its text: the exact name is the link's.
      await page.locator('.gettingStartedContainer').getByRole('button', { name: 'Add Registry…', exact: true }).click();
      await page.locator('.quick-input-widget', { hasText: 'localhost:5000' }).waitFor({ state: 'visible' });
      await page.keyboard.press('Escape');
    });
    await step('the Restricted Mode step links Manage Workspace Trust', async () => {
      await page.locator('.gettingStartedContainer .getting-started-step', { hasText: 'In Restricted Mode' }).first().click();
      const media = page.frameLocator('.gettingStartedContainer iframe.webview').frameLocator('iframe#active-frame');
      await media.getByText('It withholds, until you trust the workspace', { exact: false }).waitFor({ timeout: 30_000 });
    });
  });

  test('the Clusters view reads no cluster and runs no exec plugin, and says why', async () => {
    const clusters = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Clusters' }) });
    await step('see the Clusters view explain itself', async () => {
      await runCommand('OCI GitOps: Focus on Clusters View');
      await clusters
        .locator('.welcome-view-content', { hasText: 'the clusters are not read until you trust this workspace' })
        .waitFor({ timeout: 30_000 });
    });
    assert.equal(fleet.prod.requests.length, 0, 'no request to a cluster');
    assert.equal(fleet.staging.requests.length, 0, 'no request to a cluster');
    assert.equal(fleet.execRuns(), 0, 'no exec plugin run');
  });

  test('once the workspace is trusted, the live check runs on the same file and the status item goes', async () => {
    await step('trust the workspace', async () => {
      await runCommand('Workspaces: Manage Workspace Trust');
      const trust = page.locator('.workspace-trust-editor a.monaco-button', { hasText: /^Trust/ }).first();
      await trust.waitFor({ timeout: 30_000 });
      await shot('5-trust-editor');
      await trust.click();
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'detached', timeout: 30_000 });
    });
    await step('see the live finding for the missing tag', async () => {
      await quickOpen(page, 'source.yaml');
      await runCommand('View: Focus Problems');
      await problem('Tag "9.9.9" does not exist').first().waitFor({ timeout: 60_000 });
      await shot('6-trusted-live');
    });
    assert.equal(await page.locator('.statusbar-item', { hasText: 'OCI GitOps: offline' }).count(), 0);
    assert.ok(registry.requests().some((line) => line.includes('/v2/apps/podinfo/')));
  });

  test('once trusted, the Clusters view reads the contexts', async () => {
    const clusters = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Clusters' }) });
    await step('see both contexts', async () => {
      await runCommand('OCI GitOps: Focus on Clusters View');
      await clusters.locator('.monaco-list-row', { hasText: 'prod-eu' }).waitFor({ timeout: 60_000 });
      await clusters.locator('.monaco-list-row', { hasText: 'staging' }).waitFor({ timeout: 60_000 });
    });
    assert.ok(fleet.prod.requests.length > 0);
  });
});
