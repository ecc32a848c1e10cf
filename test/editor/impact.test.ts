import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { OciClient, parseReference, referrersTagFor, type Descriptor } from '../../src/oci';
import { publicKeyPem, signWithCosignKey } from '../../src/signing';
import { pushArtifact } from '../integration/fixtures';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { fixture } from '../impact/workspaceFixtures';
import { startCodeServer, type RunningCodeServer } from './codeServer';
import { contextMenu, editorSuiteSkip, openWorkbench, pick, SHOTS, stepper, VSIX } from './workbench';

const EDITOR_SKIP = editorSuiteSkip();

/**
 * Promote… in a real VS Code (code-server) against a real registry (CNCF Distribution), with a
 * workspace holding the production OCIRepository of Flux's docs (test/fixtures/impact), following
 * tag prod and verifying with a cosign key that did not sign the candidate. The promotion must
 * name that refusal and why before anything moves, and cancelling must leave prod where it was.
 */
describe(
  'Promote… shows the consumers that would refuse the artifact, before anything moves',
  { skip: EDITOR_SKIP, timeout: 300_000 },
  () => {
    let registry: RunningRegistry;
    let client: OciClient;
    let candidate: Descriptor;
    let oldProd: Descriptor;
    let editor: RunningCodeServer;
    let browser: Browser;
    let page: Page;
    const step = stepper(() => page, 'impact-');

    function row(level: number, label: string) {
      const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
      return page
        .locator(`.pane-body .monaco-list-row[aria-level="${level}"]`)
        .filter({ has: page.locator('.label-name', { hasText: exact }) });
    }

    async function expand(locator: ReturnType<Page['locator']>): Promise<void> {
      await locator.waitFor();
      if ((await locator.getAttribute('aria-expanded')) !== 'true') await locator.locator('.monaco-tl-twistie').click();
    }

    /** Push Folder on the Explorer's app/ to `target` (one tag, the standard tarball), confirming its summary. */
    async function pushFolderApp(target: string): Promise<void> {
      const folder = page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^app$/ }).first();
      await folder.waitFor();
      await contextMenu(page, folder, 'Push Folder as OCI Artifact…', () =>
        page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 5_000 }),
      );
      await page.locator('.quick-input-widget input').fill(target);
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: 'more tags' }).waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Standard tarball' }).first().waitFor();
      await page.keyboard.press('Enter');
      const summary = page.locator('.monaco-dialog-box', { hasText: 'Push app to' });
      await summary.waitFor();
      await summary.locator('a.monaco-button', { hasText: /^Push$/ }).click();
      await summary.waitFor({ state: 'detached' });
    }

    before(async () => {
      mkdirSync(SHOTS, { recursive: true });
      registry = await startRegistry({ auth: 'none' });
      client = new OciClient();
      const staging = client.repository(parseReference(`${registry.host}/apps/podinfo`));
      candidate = await pushArtifact(staging, '1.0.0', {
        files: { 'deploy.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new\n' },
      });
      await signWithCosignKey(staging, candidate, generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
      oldProd = await pushArtifact(client.repository(parseReference(`${registry.host}/promoted/podinfo`)), 'prod', {
        files: { 'old.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\n' },
      });
      // Production's OCIRepository follows prod and trusts a key the candidate was not signed with.
      const productionKey = publicKeyPem(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey);
      const production = fixture('flux-cosign-keys.yaml', `${registry.host}/promoted/podinfo`, {
        '<BASE64>': Buffer.from(productionKey).toString('base64'),
        '  interval: 5m\n': '  interval: 5m\n  ref:\n    tag: prod\n',
      });
      // Staging's OCIRepository follows the tag the folder app/ is pushed as, and verifies it too.
      const stagingConsumer = fixture('flux-cosign-keys.yaml', `${registry.host}/pushed/podinfo`, {
        '<BASE64>': Buffer.from(productionKey).toString('base64'),
        '  interval: 5m\n': '  interval: 5m\n  ref:\n    tag: 1.0.0\n',
        'name: podinfo': 'name: staging',
        'cosign-public-keys': 'staging-public-keys',
      });
      // Released follows 1.x without verifying, and Argo CD takes 1.0.0: both accept an unsigned push.
      const released = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: released
spec:
  interval: 5m
  url: oci://${registry.host}/released/podinfo
  ref:
    semver: 1.x
---
${fixture('argo-oci-application.yaml', `${registry.host}/released/podinfo`, { '1.16.1': '1.0.0' })}`;
      editor = await startCodeServer(
        VSIX,
        {
          'ociGitops.registries': [{ url: registry.host }],
          'ociGitops.promotionTargets': [{ name: 'Production', repository: `${registry.host}/promoted/podinfo`, tag: 'prod' }],
        },
        {
          'clusters/production/podinfo.yaml': production,
          'clusters/staging/podinfo.yaml': stagingConsumer,
          'clusters/released/podinfo.yaml': released,
          'app/deploy.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pushed\n',
        },
      );
      ({ browser, page } = await openWorkbench(editor.url, { width: 1400, height: 1000 }));
      await page.locator('.activitybar [aria-label^="OCI GitOps"]').first().click();
      await page.locator('.sidebar .title-label', { hasText: 'OCI GitOps' }).first().waitFor();
    });

    after(async () => {
      await browser?.close().catch(() => undefined);
      await editor?.stop().catch(() => undefined);
      await client?.close();
      await registry?.stop();
    });

    test('the refusal and its reason are shown first, and cancelling leaves prod unchanged', async () => {
      await step('run Promote… on the candidate tag and pick Production', async () => {
        await expand(row(1, registry.host));
        await expand(row(2, 'apps/podinfo').first());
        await contextMenu(page, row(3, '1.0.0').first(), 'Promote…', () =>
          page.locator('.quick-input-list .monaco-list-row', { hasText: 'Production' }).first().waitFor({ timeout: 10_000 }),
        );
        await pick(page, 'Production');
      });
      await step('the refusal names the OCIRepository, where it is, and why', async () => {
        const dialog = page.locator('.monaco-dialog-box', { hasText: 'and refuse it' });
        await dialog.waitFor({ timeout: 60_000 });
        const text = await dialog.innerText();
        assert.match(
          text,
          new RegExp(`OCIRepository default/podinfo would pick up ${registry.host}/promoted/podinfo:prod and refuse it\\.`),
        );
        assert.match(text, /OCIRepository default\/podinfo \(clusters\/production\/podinfo\.yaml:\d+\): picks prod; would REFUSE it/);
        assert.match(text, /✗ Flux spec\.verify \(cosign key\): .*does not verify/);
        assert.match(text, /Nothing has been copied yet\./);
        assert.equal(await dialog.locator('a.monaco-button', { hasText: 'Promote Anyway' }).count(), 1);
        await page.screenshot({ path: join(SHOTS, 'impact-1-refusal.png') });
        await dialog.locator('a.monaco-button', { hasText: 'Cancel' }).click();
        await dialog.waitFor({ state: 'detached' });
      });
      await step('no copy preview follows the cancel', async () => {
        await assert.rejects(page.locator('.monaco-dialog-box').waitFor({ timeout: 3_000 }), /Timeout/);
      });
      const prod = client.repository(parseReference(`${registry.host}/promoted/podinfo`));
      assert.equal((await prod.resolve('prod')).digest, oldProd.digest, 'prod still points where it did');
      await assert.rejects(prod.resolve(candidate.digest), /MANIFEST_UNKNOWN|not found|unknown/i, 'the candidate was not copied');
      await assert.rejects(prod.resolve(`${referrersTagFor(candidate.digest)}.sig`), /MANIFEST_UNKNOWN|not found|unknown/i);
    });

    test('Show Consumers on a tag lists the OCIRepository with its verdict and reasons, and opens it at its line', async () => {
      await step('run Show Consumers on promoted/podinfo:prod', async () => {
        await expand(row(2, 'promoted/podinfo').first());
        await contextMenu(page, row(3, 'prod').first(), 'Show Consumers', () =>
          page
            .locator('.quick-input-list .monaco-list-row', { hasText: 'OCIRepository default/podinfo' })
            .first()
            .waitFor({ timeout: 60_000 }),
        );
      });
      await step('the row says it picks prod and refuses it, and why; choosing it opens the file', async () => {
        const consumer = page.locator('.quick-input-list .monaco-list-row', { hasText: 'OCIRepository default/podinfo' }).first();
        const text = await consumer.innerText();
        assert.match(text, /picks prod · would REFUSE it/);
        assert.match(text, /clusters\/production\/podinfo\.yaml:\d+/);
        assert.match(text, /Flux spec\.verify \(cosign key\)/);
        await page.screenshot({ path: join(SHOTS, 'impact-2-show-consumers.png') });
        await page.keyboard.press('Enter');
        await page.locator('.tabs-container .tab.active', { hasText: 'podinfo.yaml' }).waitFor({ timeout: 10_000 });
      });
    });

    test('the artifact panel of the prod tag lists the OCIRepository that would refuse it, with why', async () => {
      await step('open the artifact panel of promoted/podinfo:prod', async () => {
        const tag = row(3, 'prod').first();
        await tag.hover();
        await tag.locator('.action-label[aria-label="Show Artifact Details"]').click();
      });
      await step('its Consumers section names the OCIRepository, its place, pick, verdict and check', async () => {
        const frame = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
        const consumer = frame.locator('#consumers vscode-table-row', { hasText: 'OCIRepository default/podinfo' });
        await consumer.waitFor({ timeout: 60_000 });
        const text = await consumer.innerText();
        assert.match(text, /clusters\/production\/podinfo\.yaml:\d+/);
        assert.match(text, /picks prod/);
        assert.match(text, /would REFUSE it/);
        assert.match(text, /✗ Flux spec\.verify \(cosign key\)/);
        await page.screenshot({ path: join(SHOTS, 'impact-3-artifact-panel.png') });
      });
    });

    test('Push Folder names the consumer that would refuse the unsigned artifact, and why, before anything is uploaded; Cancel pushes nothing', async () => {
      await step('push the folder app to the tag staging follows', async () => {
        await page.keyboard.press('Escape');
        await page.locator('.activitybar [aria-label^="Explorer"]').first().click();
        await pushFolderApp(`${registry.host}/pushed/podinfo:1.0.0`);
      });
      await step('the refusal names the OCIRepository, where it is, why, and that the push does not sign', async () => {
        const dialog = page.locator('.monaco-dialog-box', { hasText: 'and refuse it' });
        await dialog.waitFor({ timeout: 60_000 });
        const text = await dialog.innerText();
        assert.match(
          text,
          new RegExp(`OCIRepository default/staging would pick up ${registry.host}/pushed/podinfo:1\\.0\\.0 and refuse it\\.`),
        );
        assert.match(text, /OCIRepository default\/staging \(clusters\/staging\/podinfo\.yaml:\d+\): picks 1\.0\.0; would REFUSE it/);
        assert.match(text, /✗ Flux spec\.verify \(cosign key\): the artifact has no signature/);
        assert.match(text, /pushed unsigned, so sign it .* before Flux picks it up/);
        assert.match(text, /Nothing has been pushed yet\./);
        assert.equal(await dialog.locator('a.monaco-button', { hasText: 'Push Anyway' }).count(), 1);
        await page.screenshot({ path: join(SHOTS, 'impact-4-push-refusal.png') });
        await dialog.locator('a.monaco-button', { hasText: 'Cancel' }).click();
        await dialog.waitFor({ state: 'detached' });
      });
      await step('the push says it was cancelled', async () => {
        await page
          .locator('.notification-toast', { hasText: 'Push of app cancelled; no tag was created or moved.' })
          .waitFor({ timeout: 30_000 });
      });
      const pushed = client.repository(parseReference(`${registry.host}/pushed/podinfo`));
      await assert.rejects(pushed.resolve('1.0.0'), /MANIFEST_UNKNOWN|NAME_UNKNOWN|not found|unknown/i, 'the tag was not created');
    });

    test('a push no consumer refuses names who will pick it up in its one completion notification, and Show Consumers lists them', async () => {
      await step('push the folder app to the repository released and Argo CD follow', async () => {
        await pushFolderApp(`${registry.host}/released/podinfo:1.0.0`);
      });
      const toast = page.locator('.notification-toast', { hasText: 'Pushed app as' });
      await step(
        'the completion notification names both consumers and what the OCIRepository follows; no dialog asks anything',
        async () => {
          await toast.waitFor({ timeout: 60_000 });
          const text = await toast.innerText();
          assert.match(
            text,
            /— picked up by 2 consumers: OCIRepository default\/released \(follows 1\.x\), Application argocd\/my-custom-image/,
          );
          assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no confirmation when nothing refuses');
          await page.screenshot({ path: join(SHOTS, 'impact-5-push-picked-up.png') });
        },
      );
      await step('Show Consumers lists both, each picking 1.0.0 and accepting it', async () => {
        await toast.locator('a.monaco-button', { hasText: 'Show Consumers' }).click();
        const rows = page.locator('.quick-input-list .monaco-list-row');
        await rows.filter({ hasText: 'OCIRepository default/released' }).first().waitFor({ timeout: 10_000 });
        assert.match(await rows.filter({ hasText: 'OCIRepository default/released' }).first().innerText(), /picks 1\.0\.0 · accepts/);
        assert.match(await rows.filter({ hasText: 'Application argocd/my-custom-image' }).first().innerText(), /picks 1\.0\.0 · accepts/);
        await page.screenshot({ path: join(SHOTS, 'impact-6-push-consumers.png') });
        await page.keyboard.press('Escape');
      });
      const released = client.repository(parseReference(`${registry.host}/released/podinfo`));
      assert.ok((await released.resolve('1.0.0')).digest, 'the tag was pushed');
    });
  },
);
