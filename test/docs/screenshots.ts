// `npm run docs:screenshots`: the README's screenshots, taken in a real VS Code (code-server) with
// the packaged extension against a local registry seeded with the sandbox's sample artifacts.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { OciClient } from '../../src/oci';
import { startCodeServer } from '../editor/codeServer';
import { launchChromium, quickOpen, ROOT, SHOTS, VSIX } from '../editor/workbench';
import { seedSampleArtifacts } from '../sandbox/seed';
import { startRegistry } from '../support/registry';

const OUT = join(ROOT, 'media', 'screenshots');
// Small enough to keep the PNGs light, wide enough for the tree, an editor and the panel.
const VIEWPORT = { width: 1280, height: 720 };

function sourceFile(host: string): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 5m
  url: oci://${host}/apps/podinfo:1.1.0
  layerSelector:
    mediaType: application/vnd.oci.image.layer.v1.tar+gzip
    operation: extract
`;
}

async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+p');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

async function takeScreenshots(page: Page): Promise<void> {
  const row = (label: string) => page.locator('.pane-body .monaco-list-row', { hasText: label }).first();
  await page.locator('.activitybar [aria-label^="OCI GitOps"]').first().click();
  await row('Sandbox registry').click();
  await row('apps/podinfo').click();
  await row('1.1.0').waitFor();
  await page.locator('.pane-body .monaco-list-row', { hasText: 'Manifests tarball' }).first().waitFor();
  await row('1.1.0').locator('.monaco-tl-twistie').click();
  await row('deployment.yaml').waitFor();
  await row('SBOM').waitFor();
  await row('charts/hello').click();
  await row('0.2.1').waitFor();
  await row('deployment.yaml').click();
  await page.locator('.tabs-container .tab.active', { hasText: 'deployment.yaml' }).waitFor();
  await page.waitForTimeout(1_500);
  await page.screenshot({ path: join(OUT, 'registries.png') });

  await row('1.1.0').hover();
  await row('1.1.0').locator('.action-label[aria-label="Show Artifact Details"]').click();
  const panel = page.frameLocator('iframe.webview').frameLocator('iframe');
  await panel.getByText('org.opencontainers.image.source').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1_000);
  await page.screenshot({ path: join(OUT, 'artifact-panel.png') });

  await runCommand(page, 'View: Close All Editors');
  await quickOpen(page, 'podinfo-source.yaml');
  await runCommand(page, 'View: Focus Problems');
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'must not contain' }).first().waitFor({ timeout: 60_000 });
  await page.locator('.editor-instance .view-line span', { hasText: 'apps/podinfo' }).first().click();
  await page.keyboard.press('Control+.');
  await page.getByText('Move :1.1.0 to spec.ref.tag').first().waitFor();
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(OUT, 'validation.png') });
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const registry = await startRegistry({ auth: 'none' });
  try {
    const client = new OciClient();
    await seedSampleArtifacts(client, registry.host);
    await client.close();
    const editor = await startCodeServer(
      VSIX,
      { 'ociGitops.registries': [{ url: registry.host, label: 'Sandbox registry' }], 'workbench.colorTheme': 'Default Dark Modern' },
      { 'clusters/sandbox/podinfo-source.yaml': sourceFile(registry.host) },
    );
    try {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage({ viewport: VIEWPORT });
        page.setDefaultTimeout(30_000);
        try {
          await page.goto(editor.url, { timeout: 120_000 });
          await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
          await takeScreenshots(page);
        } catch (error) {
          mkdirSync(SHOTS, { recursive: true });
          await page.screenshot({ path: join(SHOTS, 'failed-docs-screenshots.png') }).catch(() => undefined);
          throw error;
        }
      } finally {
        await browser.close();
      }
    } finally {
      await editor.stop();
    }
  } finally {
    await registry.stop();
  }
  console.log(`Wrote registries.png, artifact-panel.png and validation.png to ${OUT}`);
}

main().catch((error: unknown) => {
  console.error(`docs:screenshots: ${(error as Error).message}`);
  process.exit(1);
});
