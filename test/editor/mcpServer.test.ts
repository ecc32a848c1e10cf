import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { startCodeServer, type RunningCodeServer } from './codeServer';
import { editorSuiteSkip, openWorkbench, SHOTS, stepper, VSIX } from './workbench';

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

  async function command(name: string): Promise<void> {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${name}`);
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).first().waitFor();
    await page.keyboard.press('Enter');
  }

  test('MCP: List Servers names OCI GitOps, and started it serves the read tools', async () => {
    await step('list servers', async () => {
      // The view activates the extension; its registry row says activation is done.
      await page.locator('.activitybar [aria-label*="OCI GitOps"]').first().click();
      await page.locator('.pane-body .monaco-list-row', { hasText: registry.host }).first().waitFor({ timeout: 60_000 });
      await command('MCP: List Servers');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'OCI GitOps' }).first().waitFor({ timeout: 60_000 });
      await page.screenshot({ path: join(SHOTS, 'mcp-1-listed.png') });
    });
    await step('start it', async () => {
      await page.locator('.quick-input-widget input').fill('OCI GitOps');
      await page.keyboard.press('Enter');
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: /Start Server/ })
        .first()
        .waitFor();
      await page.screenshot({ path: join(SHOTS, 'mcp-2-actions.png') });
      await page.locator('.quick-input-widget input').fill('Start Server');
      await page.keyboard.press('Enter');
    });
    await step('it runs', async () => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        await command('MCP: List Servers');
        const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'OCI GitOps' }).first();
        await row.waitFor();
        if (/Running/.test(await row.innerText())) break;
        if (Date.now() > deadline) throw new Error(`the server did not start: ${await row.innerText()}`);
        await page.waitForTimeout(1000);
      }
      await page.screenshot({ path: join(SHOTS, 'mcp-3-running.png') });
    });
    await step('its output names the tools it discovered', async () => {
      await page.locator('.quick-input-widget input').fill('OCI GitOps');
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Output' }).first().waitFor();
      await page.locator('.quick-input-widget input').fill('Show Output');
      await page.keyboard.press('Enter');
      await page
        .locator('.panel .view-lines', { hasText: /Discovered \d+ tools/ })
        .first()
        .waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(SHOTS, 'mcp-4-output.png') });
    });
  });
});
