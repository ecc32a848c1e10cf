import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { OciClient } from '../../src/oci';
import { seedDescribedArtifacts, type DescribedSeed } from '../support/describedArtifacts';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { startCodeServer, type RunningCodeServer } from './codeServer';
import { editorSuiteSkip, openWorkbench, ROOT, SHOTS, stepper, VSIX } from './workbench';

/** The part of a DOM element these page-side callbacks read; the Node-side compiler has no DOM types. */
interface PageElement {
  dataset: Record<string, string | undefined>;
  querySelector(selector: string): { textContent: string | null } | null;
}

const cliBundle = join(ROOT, 'dist', 'cli.js');
const EDITOR_SKIP = editorSuiteSkip([cliBundle]);

interface CliReferrer {
  digest: string;
  kind: string;
  kindLabel: string;
  label: string;
  category: string;
  foundBy: string;
  tag?: string;
}

/**
 * Issue 14: the Registries view, the artifact panel and `oci-gitops inspect --json` describe one
 * artifact through one describeArtifact, so they name the same kind and the same referrers, found
 * the same ways, for a signed artifact whose SBOM sits in the referrers fallback index and whose
 * cosign signature sits under its `.sig` tag (Distribution 2.8 has no referrers API).
 */
describe('the tree, the artifact panel and inspect --json agree on an artifact', { skip: EDITOR_SKIP, timeout: 240_000 }, () => {
  let registry: RunningRegistry;
  let seed: DescribedSeed;
  let editor: RunningCodeServer;
  let browser: Browser;
  let page: Page;
  let inspected: { kind: string; kindLabel: string; pinned: string; referrers: CliReferrer[] };

  const row = (label: string | RegExp) => page.locator('.pane-body .monaco-list-row', { hasText: label }).first();

  const step = stepper(() => page, 'describe-');

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    registry = await startRegistry({ auth: 'none' });
    const client = new OciClient();
    seed = await seedDescribedArtifacts(client, registry.host);
    await client.close();
    // The bundled CLI as a user runs it, not the sources.
    const { stdout } = await promisify(execFile)(process.execPath, [cliBundle, 'inspect', '--json', `${seed.signed.repository}:1.0.0`], {
      timeout: 60_000,
    });
    inspected = JSON.parse(stdout) as typeof inspected;
    editor = await startCodeServer(VSIX, { 'ociGitops.registries': [{ url: registry.host }] });
    ({ browser, page } = await openWorkbench(editor.url));
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await editor?.stop().catch(() => undefined);
    await registry?.stop().catch(() => undefined);
  });

  test('inspect --json finds the SBOM by the fallback tag and the signature by its cosign tag', () => {
    assert.equal(inspected.kind, 'oras-files');
    assert.deepEqual(
      inspected.referrers.map((r) => [r.digest, r.kind, r.foundBy]),
      [
        [seed.signed.sbom.digest, 'sbom-spdx', 'fallback-tag'],
        [seed.signed.signature.digest, 'cosign-signature', 'cosign-tag'],
      ],
    );
  });

  test("the tag's row shows the kind inspect names, and expanding it lists inspect's referrers and no others", async () => {
    await step('browse to the tag', async () => {
      await page.locator('.activitybar [aria-label^="OCI GitOps"]').first().click();
      await row(registry.host).click();
      await row('apps/signed').click();
      // The row's description is the kind's headline or label, once its manifest has been read.
      await page.locator('.pane-body .monaco-list-row', { hasText: inspected.kindLabel }).first().waitFor();
    });
    const children = await step('expand the tag', async () => {
      await row('1.0.0').locator('.monaco-tl-twistie').click();
      for (const r of inspected.referrers) await row(r.label).waitFor();
      // The tag's children are one level below it: its files and its referrers.
      const level = Number(await row('1.0.0').getAttribute('aria-level')) + 1;
      const rows = page.locator(`.pane-body .monaco-list-row[aria-level="${level}"]`);
      return rows.evaluateAll((elements: PageElement[]) =>
        elements.map((element) => ({
          label: element.querySelector('.label-name')?.textContent?.trim() ?? '',
          description: element.querySelector('.label-description')?.textContent ?? '',
        })),
      );
    });
    await page.screenshot({ path: join(SHOTS, 'describe-1-tree.png') });
    const referrerRows = children.filter((c) => c.label !== 'app.yaml');
    assert.deepEqual(
      referrerRows.map((c) => c.label),
      inspected.referrers.map((r) => r.label),
      'the same referrers, in the same order, under the same names',
    );
    for (const [i, r] of inspected.referrers.entries())
      assert.ok(referrerRows[i].description.includes(r.digest.slice(7, 19)), `${r.label} shows digest ${r.digest}`);
  });

  test("the artifact panel shows the kind inspect names and inspect's referrers, found the same ways", async () => {
    const shown = await step('open the artifact panel', async () => {
      const tag = row('1.0.0');
      await tag.hover();
      await tag.locator('.action-label[aria-label="Show Artifact Details"]').click();
      const frame = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
      await frame
        .locator('vscode-table-row[data-referrer]')
        .nth(inspected.referrers.length - 1)
        .waitFor({ timeout: 60_000 });
      await frame.getByText(`cosign tag ${inspected.referrers[1].tag}`).waitFor();
      return {
        kind: await frame.locator('vscode-badge[data-kind]').getAttribute('data-kind'),
        referrers: await frame
          .locator('vscode-table-row[data-referrer]')
          .evaluateAll((elements: PageElement[]) =>
            elements.map((element) => [element.dataset.referrer, element.dataset.kind, element.dataset.foundBy]),
          ),
      };
    });
    await page.screenshot({ path: join(SHOTS, 'describe-2-panel.png') });
    assert.equal(shown.kind, inspected.kind);
    assert.deepEqual(
      shown.referrers,
      inspected.referrers.map((r) => [r.digest, r.kind, r.foundBy]),
    );
  });

  // The panel's buttons run the registered commands (issue 21), so the pinned reference it copies is
  // the one inspect names, reported the way the command reports it from the Registries view.
  test("the artifact panel's Copy Pinned Reference runs the command and copies the reference inspect pins", async () => {
    await step('copy the pinned reference from the panel', async () => {
      const frame = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
      await frame.locator('vscode-button', { hasText: 'Copy Pinned Reference' }).click();
      await page
        .locator('.statusbar-item', { hasText: `Copied ${inspected.pinned}` })
        .first()
        .waitFor({ timeout: 30_000 });
    });
  });
});
