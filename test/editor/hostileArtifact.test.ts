import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { MediaType, OciClient } from '../../src/oci';
import { gzip, pushLayerArtifact, rawTar, swapStoredBlob } from '../support/hostileArtifacts';
import { patternBytes } from '../integration/fixtures';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { startCodeServer, type RunningCodeServer } from './codeServer';
import { editorSuiteSkip, openWorkbench, SHOTS, stepper, VSIX } from './workbench';

const EDITOR_SKIP = editorSuiteSkip();

/**
 * Issue 15 in the editor: an artifact whose layer was swapped in the registry's storage (same
 * size, an app.yaml with other content) is refused wherever the extension would show its files,
 * and trust settings from the workspace's .vscode/settings.json are ignored with a notice.
 */
describe('a hostile registry and workspace in a real VS Code (code-server)', { skip: EDITOR_SKIP, timeout: 240_000 }, () => {
  let registry: RunningRegistry;
  let editor: RunningCodeServer;
  let browser: Browser;
  let page: Page;

  const row = (label: string | RegExp) => page.locator('.pane-body .monaco-list-row', { hasText: label }).first();

  const step = stepper(() => page, 'hostile-');

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    registry = await startRegistry({ auth: 'none' });
    const client = new OciClient();
    const honest = gzip(
      rawTar([
        { name: 'app.yaml', content: 'replicas: 1\n' },
        { name: 'values.bin', content: patternBytes(8 * 1024) },
      ]),
    );
    const swapped = gzip(rawTar([{ name: 'app.yaml', content: 'replicas: 666 # swapped\n' }]));
    const pushed = await pushLayerArtifact(client, `${registry.host}/hostile/app`, '1.0.0', honest, MediaType.OciLayerTarGzip);
    await client.close();
    swapStoredBlob(registry.dataDir, pushed.layer.digest, Buffer.concat([swapped, Buffer.alloc(honest.length - swapped.length)]));
    editor = await startCodeServer(
      VSIX,
      { 'ociGitops.registries': [{ url: registry.host }] },
      {
        // What a cloned repository could carry to pick its own trust anchors.
        '.vscode/settings.json': JSON.stringify({
          'ociGitops.signing.cosignPublicKeys': ['attacker.pub'],
          'ociGitops.signing.sigstore.identities': [{ issuer: '.*', subject: '.*' }],
        }),
        'attacker.pub': '-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n',
      },
    );
    ({ browser, page } = await openWorkbench(editor.url));
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await editor?.stop().catch(() => undefined);
    await registry?.stop().catch(() => undefined);
  });

  test('expanding the swapped tag shows a refusal instead of its files, and the artifact panel says why', async () => {
    await step('browse to the tag', async () => {
      await page.locator('.activitybar [aria-label^="OCI GitOps"]').first().click();
      await row(registry.host).click();
      await row('hostile/app').click();
      await row('1.0.0').waitFor();
    });
    await step('expand it and see the refusal', async () => {
      await row('1.0.0').locator('.monaco-tl-twistie').click();
      await row('Integrity check failed — not shown').waitFor({ timeout: 60_000 });
      assert.equal(await row('app.yaml').count(), 0, 'no file of the swapped layer is listed');
      await page.screenshot({ path: join(SHOTS, 'hostile-1-refused-in-tree.png') });
    });
    await step('open the artifact panel and see the refusal in place of the files', async () => {
      const tag = row('1.0.0');
      await tag.hover();
      await tag.locator('.action-label[aria-label="Show Artifact Details"]').click();
      const frame = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
      await frame.getByText('Integrity check failed for blob', { exact: false }).waitFor({ timeout: 60_000 });
      assert.equal(await frame.getByText('replicas: 666', { exact: false }).count(), 0);
      await page.screenshot({ path: join(SHOTS, 'hostile-2-refused-in-panel.png') });
    });
  });

  test('trust settings from the workspace are ignored, and the user is told which', async () => {
    await step('see the notice', async () => {
      // A toast hides itself after a while (the test before this one can outlast it); the notification
      // centre keeps every notification, so look there when the toast is gone.
      const notice = (scope: string) =>
        page.locator(scope, { hasText: 'ignored' }).filter({ hasText: 'ociGitops.signing.cosignPublicKeys' }).first();
      const toast = await notice('.notification-toast')
        .waitFor({ timeout: 5_000 })
        .then(() => true)
        .catch(() => false);
      if (!toast) {
        await page.locator('.statusbar-item[id="status.notifications"]').first().click();
        await notice('.notifications-center .notification-list-item').waitFor({ timeout: 60_000 });
      }
      await page.screenshot({ path: join(SHOTS, 'hostile-3-workspace-trust-ignored.png') });
    });
  });
});
