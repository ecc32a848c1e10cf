import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { OciClient } from '../../src/oci';
import { seedSampleArtifacts } from '../sandbox/seed';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { startCodeServer, type RunningCodeServer } from './codeServer';
import { editorSuiteSkip, openWorkbench, SHOTS, stepper, VSIX } from './workbench';

const EDITOR_SKIP = editorSuiteSkip();

describe('artifact kinds in the Registries view of a real VS Code (code-server)', { skip: EDITOR_SKIP, timeout: 300_000 }, () => {
  let registry: RunningRegistry;
  let editor: RunningCodeServer;
  let browser: Browser;
  let page: Page;

  /** Runs one UI step; on failure keeps a screenshot and says which step it was. */
  const step = stepper(() => page, 'kinds-');

  function treeRow(label: string | RegExp) {
    return page.locator('.pane-body .monaco-list-row', { hasText: label }).first();
  }

  /** Expands a row by its twistie (a click on the label would run the row's command instead). */
  async function expand(label: string | RegExp): Promise<void> {
    const row = treeRow(label);
    await row.waitFor();
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
  }

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    registry = await startRegistry({ auth: 'none' });
    const client = new OciClient();
    await seedSampleArtifacts(client, registry.host);
    await client.close();
    editor = await startCodeServer(VSIX, { 'ociGitops.registries': [{ url: registry.host, label: 'Kinds registry' }] });
    ({ browser, page } = await openWorkbench(editor.url));
    await page.locator('.activitybar [aria-label^="OCI GitOps"]').first().click();
    await page.locator('.sidebar .title-label', { hasText: 'OCI GitOps' }).first().waitFor();
    await expand('Kinds registry');
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await editor?.stop().catch(() => undefined);
    await registry?.stop().catch(() => undefined);
  });

  test('a Helm chart shows as one, expands into its chart folder, and its Chart.yaml opens in a preview editor', async () => {
    await step('expand charts/hello 0.2.1', async () => {
      await expand('charts/hello');
      // The tag's description comes from the kind's headline once its manifest and config are read.
      await treeRow('Helm 0.2.1 (app 1.4.0)').waitFor();
      await expand(/^0\.2\.1/);
      await expand(/^hello$/);
      for (const file of ['Chart.yaml', 'values.yaml', 'README.md', 'templates']) await treeRow(file).waitFor();
      await page.screenshot({ path: join(SHOTS, 'kinds-1-helm-chart.png') });
    });
    await step('open Chart.yaml', async () => {
      await treeRow('Chart.yaml').click();
      await page.locator('.tabs-container .tab', { hasText: 'Chart.yaml' }).waitFor();
      await page.locator('.editor-instance .view-lines', { hasText: 'appVersion: "1.4.0"' }).first().waitFor();
    });
    assert.equal(await page.locator('.tabs-container .tab.active', { hasText: 'Chart.yaml' }).count(), 1);
  });

  test('a Tekton bundle shows its tasks and pipelines, expands into one file per resource, and a Task opens', async () => {
    await step('expand tekton/build 0.1.0', async () => {
      await expand('tekton/build');
      await treeRow('Tekton: 1 task, 1 pipeline').waitFor();
      await expand(/^0\.1\.0/);
      await expand(/^task$/);
      await expand(/^pipeline$/);
      await treeRow('git-clone.yaml').waitFor();
      await treeRow('build.yaml').waitFor();
      await page.screenshot({ path: join(SHOTS, 'kinds-2-tekton-bundle.png') });
    });
    await step('open the git-clone Task', async () => {
      await treeRow('git-clone.yaml').click();
      await page.locator('.tabs-container .tab', { hasText: 'git-clone.yaml' }).waitFor();
      await page.locator('.editor-instance .view-lines', { hasText: 'image: alpine/git:2.45.2' }).first().waitFor();
    });
    assert.equal(await page.locator('.tabs-container .tab.active', { hasText: 'git-clone.yaml' }).count(), 1);
  });
});
