import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { READ_TOOLS } from '../mcp/toolNames';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { startCodeServer, type RunningCodeServer } from './codeServer';
import { editorSuiteSkip, openWorkbench, pick, runCommand, SHOTS, stepper, VSIX } from './workbench';

const EDITOR_SKIP = editorSuiteSkip();

/**
 * Issue 26: VS Code lists the extension's MCP server among its servers, provided by the extension
 * (contributes.mcpServerDefinitionProviders), and starting it gives agents its tools.
 */
describe('the MCP server in a real VS Code', { skip: EDITOR_SKIP, timeout: 400_000 }, () => {
  let registry: RunningRegistry;
  let editor: RunningCodeServer;
  let browser: Browser;
  let page: Page;
  const step = stepper(() => page, 'mcp-');

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    registry = await startRegistry({ auth: 'none' });
    editor = await startCodeServer(VSIX, { 'ociGitops.registries': [{ url: registry.host }], 'chat.disableAIFeatures': false });
    ({ browser, page } = await openWorkbench(editor.url));
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await editor?.stop().catch(() => undefined);
    await registry?.stop().catch(() => undefined);
  });

  const serverRow = () => page.locator('.quick-input-list .monaco-list-row', { hasText: 'OCI GitOps' }).first();

  async function listServers(): Promise<void> {
    await page.keyboard.press('Escape');
    await runCommand(page, 'MCP: List Servers');
    await serverRow().waitFor({ timeout: 60_000 });
  }

  /**
   * Runs one of the server's actions from MCP: List Servers. The whole gesture is repeated when the
   * list closes or re-renders under it, as it does while the server reports its state.
   */
  async function serverAction(action: string, attempts = 3): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await listServers();
        await pick(page, 'OCI GitOps');
        await pick(page, action);
        return;
      } catch (error) {
        if (attempt >= attempts) throw error;
      }
    }
  }

  test('MCP: List Servers names OCI GitOps, and started it serves the read tools', async () => {
    await step('list servers', async () => {
      // The view activates the extension; its registry row says activation is done.
      await page.locator('.activitybar [aria-label*="OCI GitOps"]').first().click();
      await page.locator('.pane-body .monaco-list-row', { hasText: registry.host }).first().waitFor({ timeout: 60_000 });
      await listServers();
      // The row reads "label, state, provider": the provider is the extension's contribution.
      assert.match((await serverRow().getAttribute('aria-label')) ?? '', /^OCI GitOps, \w+, OCI GitOps$/);
      await page.screenshot({ path: join(SHOTS, 'mcp-1-listed.png') });
    });
    await step('start it', () => serverAction('Start Server'));
    await step('its output names the tools it discovered', async () => {
      await serverAction('Show Output');
      // They are the read tools: no write tools without ociGitops.mcp.allowWrite.
      // "Discovered" is logged once the server runs and VS Code has listed its tools.
      const output = page.locator('.part.panel .view-lines', { hasText: `Discovered ${READ_TOOLS.length} tools` }).first();
      await output.waitFor({ timeout: 60_000 });
      const log = (await output.innerText()).replace(/\s+/g, ' ');
      assert.match(log, /Connection state: Running/);
      assert.doesNotMatch(log, /\[error\]/);
      await page.screenshot({ path: join(SHOTS, 'mcp-2-output.png') });
    });
  });
});
