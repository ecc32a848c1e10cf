import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startCodeServer, type RunningCodeServer } from './codeServer';
import { editorSuiteSkip, openWorkbench, quickOpen, ROOT, stepper, VSIX } from './workbench';

const shots = join(ROOT, 'test-artifacts', 'editor-redos');
const EDITOR_SKIP = editorSuiteSkip();

const source = (name: string, url: string, ref: string) =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 5m\n  url: ${url}\n  ref:\n    ${ref}\n`;

/**
 * Issue 19, case 1, in a real VS Code: the semver constraint that took the validator 100 s (it runs
 * in the extension host when a file opens; hover and CodeLens parse it too) leaves the editor
 * responsive. A second file opened right after gets its diagnostics within a second.
 */
describe('a file with a catastrophic semver constraint in a real VS Code (code-server)', { skip: EDITOR_SKIP, timeout: 300_000 }, () => {
  let editor: RunningCodeServer;
  let browser: Browser;
  let page: Page;
  const step = stepper(() => page, '', shots);

  before(async () => {
    mkdirSync(shots, { recursive: true });
    editor = await startCodeServer(
      VSIX,
      { 'ociGitops.validation.live': false },
      {
        'flux/redos.yaml': source('redos', 'oci://ghcr.io/org/app', 'semver: "1   1   1   1   1   1   1   1   1   1   1   1!"'),
        'flux/second.yaml': source('second', 'oci://ghcr.io/org/other:1.0.0', 'tag: 1.0.0'),
      },
    );
    ({ browser, page } = await openWorkbench(editor.url));
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await editor?.stop().catch(() => undefined);
  });

  test("opening it, then a second file: the second file's diagnostics arrive within a second", async () => {
    const problem = (text: string) => page.locator('.markers-panel .monaco-list-row', { hasText: text }).first();
    await step('open the Problems panel', async () => {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 15_000 });
      await input.fill('>View: Focus Problems');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'View: Focus Problems' }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.markers-panel').first().waitFor();
    });
    await step('open the file with the constraint: it is refused as a constraint', async () => {
      await quickOpen(page, 'redos.yaml');
      await problem('is not a semver constraint').waitFor({ timeout: 30_000 });
    });
    await step('open the second file', async () => {
      await quickOpen(page, 'second.yaml');
      await page.locator('.tab.active', { hasText: 'second.yaml' }).waitFor();
      const opened = Date.now();
      await problem('must not contain the tag').waitFor({ timeout: 10_000 });
      const waited = Date.now() - opened;
      await page.screenshot({ path: join(shots, '01-second-file-diagnostics.png') });
      assert.ok(waited < 1_000, `the second file's diagnostics took ${waited} ms`);
    });
  });
});
