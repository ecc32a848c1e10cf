import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { OciClient } from '../../src/oci';
import { gzip, pushLayerArtifact, rawTar } from '../support/hostileArtifacts';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { startCodeServer, type RunningCodeServer } from './codeServer';
import { editorSuiteSkip, expandUntil, openWorkbench, SHOTS, stepper, VSIX } from './workbench';

const EDITOR_SKIP = editorSuiteSkip();

/**
 * Issue 27 in the editor: an artifact holding App.yaml and app.yaml (one file on macOS and
 * Windows) is refused where the extension would show its files, naming the entries and why, on
 * Linux as everywhere.
 */
describe(
  'an artifact whose file names collide on macOS and Windows, in a real VS Code (code-server)',
  { skip: EDITOR_SKIP, timeout: 240_000 },
  () => {
    let registry: RunningRegistry;
    let editor: RunningCodeServer;
    let browser: Browser;
    let page: Page;

    const row = (label: string | RegExp) => page.locator('.pane-body .monaco-list-row', { hasText: label }).first();
    const step = stepper(() => page, 'nonportable-');

    before(async () => {
      mkdirSync(SHOTS, { recursive: true });
      registry = await startRegistry({ auth: 'none' });
      const client = new OciClient();
      const layer = gzip(
        rawTar([
          { name: 'App.yaml', content: 'replicas: 1\n' },
          { name: 'app.yaml', content: 'replicas: 3\n' },
        ]),
      );
      await pushLayerArtifact(client, `${registry.host}/names/collide`, '1.0.0', layer);
      await client.close();
      editor = await startCodeServer(VSIX, { 'ociGitops.registries': [{ url: registry.host }] });
      ({ browser, page } = await openWorkbench(editor.url));
    });

    after(async () => {
      await browser?.close().catch(() => undefined);
      await editor?.stop().catch(() => undefined);
      await registry?.stop().catch(() => undefined);
    });

    test('expanding the tag shows the refusal instead of its files, and the artifact panel names the entries', async () => {
      await step('browse to the tag', async () => {
        await page.locator('.activitybar [aria-label^="OCI GitOps"]').first().click();
        await row(registry.host).click();
        await row('names/collide').click();
        await row('1.0.0').waitFor();
      });
      await step('expand it and see the refusal', async () => {
        await expandUntil(row('1.0.0'), row('Refused: file names that clash on macOS or Windows'));
        assert.equal(await row(/^App\.yaml$|^app\.yaml$/).count(), 0, 'neither file is listed');
        await page.screenshot({ path: join(SHOTS, 'nonportable-1-refused-in-tree.png') });
      });
      await step('open the artifact panel and see each entry named with why', async () => {
        const tag = row('1.0.0');
        await tag.hover();
        await tag.locator('.action-label[aria-label="Show Artifact Details"]').click();
        const frame = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
        await frame
          .getByText('"app.yaml": the same name as "App.yaml" but for case (one file on macOS and Windows)', { exact: false })
          .waitFor({ timeout: 60_000 });
        assert.equal(await frame.getByText('replicas: 3', { exact: false }).count(), 0);
        await page.screenshot({ path: join(SHOTS, 'nonportable-2-refused-in-panel.png') });
      });
    });
  },
);
