import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { OciClient, referrersTagFor, StaticCredentials, type Descriptor, parseReference } from '../../src/oci';
import { listAttached } from '../../src/artifact/attached';
import { seedSampleArtifacts } from '../sandbox/seed';
import type { FaultProxy } from '../support/faultProxy';
import type { RunningRegistry } from '../support/registry';
import { startRecordedRegistries, writeDockerConfig, type RecordedRegistries } from '../integration/copyFixtures';
import { pushArtifact } from '../integration/fixtures';
import { startCodeServer, type RunningCodeServer } from './codeServer';
import { contextMenu, editorSuiteSkip, expandRow, openWorkbench, pick as pickQuickItem, SHOTS, stepper, treeRow, VSIX } from './workbench';

const EDITOR_SKIP = editorSuiteSkip();

/**
 * Copy To… by drag and drop, and Promote…, in a real VS Code (code-server) between two real
 * registries (CNCF Distribution: no referrers API) with different htpasswd logins, each behind a
 * proxy that records the Authorization header of every request: the editor's one client must send
 * each registry only its own login. The source artifact is signed the way cosign 2 signs (its
 * `sha256-<hex>.sig` tag), so the signature must travel with it and show under the copy.
 */
describe('Copy To… (drag and drop) and Promote… in a real VS Code', { skip: EDITOR_SKIP, timeout: 300_000 }, () => {
  let staging: RunningRegistry;
  let stagingProxy: FaultProxy;
  let productionProxy: FaultProxy;
  let stagingClient: OciClient;
  let productionClient: OciClient;
  let signed: Descriptor;
  let oldProd: Descriptor;
  let editor: RunningCodeServer;
  let browser: Browser;
  let page: Page;
  let registries: RecordedRegistries | undefined;
  let promoter: RecordedRegistries['promoter'];
  let seen: RecordedRegistries['seen'];
  const dockerDir = mkdtempSync(join(tmpdir(), 'oci-gitops-copy-editor-'));

  async function shot(name: string): Promise<void> {
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  }

  const step = stepper(() => page, 'copy-');

  const row = (level: number, label: string) => treeRow(page, level, label);
  const expand = expandRow;

  async function collapse(locator: ReturnType<Page['locator']>): Promise<void> {
    if ((await locator.getAttribute('aria-expanded')) === 'true') await locator.locator('.monaco-tl-twistie').click();
  }

  const pick = (label: string) => pickQuickItem(page, label);

  /** Runs Copy To… from a tag's context menu, up to the registry pick it opens. */
  async function copyToFromMenu(tag: Locator): Promise<void> {
    await contextMenu(page, tag, 'Copy To…', () =>
      page.locator('.quick-input-widget', { hasText: 'Copy To… (1/3): registry' }).waitFor({ timeout: 10_000 }),
    );
  }

  /** Copy To…'s last two questions: a new repository at the production registry, and the source's tag. */
  async function newRepositorySameTag(repository: string): Promise<void> {
    await page.locator('.quick-input-widget', { hasText: `repository at ${productionProxy.host}` }).waitFor();
    await pick('New repository…');
    await page.locator('.quick-input-widget', { hasText: 'Repository path' }).waitFor();
    await page.locator('.quick-input-widget input').fill(repository);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'The tag to set at the destination' }).waitFor();
    await page.keyboard.press('Enter');
  }

  const basic = (u: { username: string; password: string }) => `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    registries = await startRecordedRegistries();
    ({ staging, stagingProxy, productionProxy, promoter, seen } = registries);
    stagingClient = new OciClient({ credentials: new StaticCredentials(stagingProxy.host, staging.admin) });
    productionClient = new OciClient({ credentials: new StaticCredentials(productionProxy.host, promoter) });
    // apps/podinfo:1.0.0 is signed with a cosign key (its sha256-<hex>.sig tag); see test/sandbox/seed.ts.
    await seedSampleArtifacts(stagingClient, stagingProxy.host);
    signed = await stagingClient.repository(parseReference(`${stagingProxy.host}/apps/podinfo`)).resolve('1.0.0');
    oldProd = await pushArtifact(productionClient.repository(parseReference(`${productionProxy.host}/promoted/podinfo`)), 'prod', {
      files: { 'old.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\n' },
    });
    // The editor signs in with `docker login`'s config.json: one login per registry.
    writeDockerConfig(join(dockerDir, 'config.json'), { [stagingProxy.host]: staging.admin, [productionProxy.host]: promoter });
    process.env.DOCKER_CONFIG = dockerDir;
    seen.staging.length = 0;
    seen.production.length = 0;
    editor = await startCodeServer(
      VSIX,
      {
        'ociGitops.registries': [{ url: stagingProxy.host }, { url: productionProxy.host }],
        'ociGitops.promotionTargets': [{ name: 'Production', repository: `${productionProxy.host}/promoted/podinfo`, tag: 'prod' }],
      },
      {
        // A cloned repository's own target: offered, but never without saying whose it is.
        '.vscode/settings.json': JSON.stringify({
          'ociGitops.promotionTargets': [{ name: 'Team mirror', repository: `${productionProxy.host}/mirror/podinfo`, tag: 'stable' }],
        }),
      },
    );
    ({ browser, page } = await openWorkbench(editor.url, { width: 1400, height: 1000 }));
    await page.locator('.activitybar [aria-label^="OCI GitOps"]').first().click();
    await page.locator('.sidebar .title-label', { hasText: 'OCI GitOps' }).first().waitFor();
  });

  after(async () => {
    delete process.env.DOCKER_CONFIG;
    await browser?.close().catch(() => undefined);
    await editor?.stop().catch(() => undefined);
    await stagingClient?.close();
    await productionClient?.close();
    await registries?.stop();
  });

  test('dragging a signed tag onto another registry copies it there after a preview, and the copy shows its signature', async () => {
    const sourceTag = () => row(3, '1.0.0').first();
    await step('show the signed tag at the source registry', async () => {
      await expand(row(1, stagingProxy.host));
      await expand(row(2, 'apps/podinfo').first());
      await sourceTag().waitFor();
      await row(1, productionProxy.host).waitFor();
      await shot('copy-1-before-drag');
    });
    await step('drag it onto the production registry', async () => {
      const dialog = page.locator('.monaco-dialog-box');
      for (let attempt = 1; ; attempt++) {
        try {
          await sourceTag().dragTo(row(1, productionProxy.host), { steps: 10 });
          // Dropped on a registry: the repository is asked, the source's name first.
          await page.locator('.quick-input-widget', { hasText: `repository at ${productionProxy.host}` }).waitFor({ timeout: 10_000 });
          break;
        } catch (error) {
          if (attempt >= 3 || (await dialog.isVisible())) throw error;
        }
      }
      await shot('copy-2-dropped-pick-repository');
      await pick('apps/podinfo');
      await page.locator('.quick-input-widget', { hasText: 'The tag to set at the destination' }).waitFor();
      assert.equal(await page.locator('.quick-input-widget input').inputValue(), '1.0.0');
      await page.keyboard.press('Enter');
    });
    await step('read the preview and copy', async () => {
      const dialog = page.locator('.monaco-dialog-box', { hasText: `to ${productionProxy.host}/apps/podinfo:1.0.0?` });
      await dialog.waitFor({ timeout: 60_000 });
      const text = await dialog.innerText();
      assert.match(text, new RegExp(`Digest: ${signed.digest}`));
      assert.match(text, /Referrers: 1 signature\b/);
      assert.match(text, /Manifests: 1 manifest of the artifact, 2 with what is attached/);
      assert.match(text, /Bytes: [\d.]+ (B|KiB) in \d+ blobs at most/);
      assert.match(text, new RegExp(`Tag 1\\.0\\.0: created, pointing at ${signed.digest}`));
      await shot('copy-3-preview');
      await dialog.locator('a.monaco-button', { hasText: /^Copy$/ }).click();
    });
    const toast = page.locator('.notification-toast', { hasText: `Copied ${productionProxy.host}/apps/podinfo@sha256:` });
    await step('see the result and reveal the copy', async () => {
      await toast.waitFor({ timeout: 60_000 });
      assert.match(await toast.innerText(), /\d+ blobs? copied, 0 mounted, \d+ skipped; 1 referrer/);
      await shot('copy-4-copied');
      await toast.locator('a.monaco-button', { hasText: 'Reveal' }).click();
    });
    await step('see the copy and its signature under the production registry', async () => {
      await page.locator('.pane-body .monaco-list-row[aria-level="3"].selected', { hasText: '1.0.0' }).waitFor();
      await collapse(row(1, stagingProxy.host));
      await expand(row(3, '1.0.0').last());
      await row(4, 'Cosign signature (.sig tag)').waitFor({ timeout: 60_000 });
      // No key is configured, so the signature is found but not verified: the badge says signed.
      await page.locator('.pane-body .monaco-list-row[aria-level="3"]', { hasText: 'signed, not verified' }).waitFor({ timeout: 60_000 });
      await shot('copy-5-revealed-with-signature');
    });
    const copied = productionClient.repository(parseReference(`${productionProxy.host}/apps/podinfo`));
    assert.equal((await copied.resolve('1.0.0')).digest, signed.digest, 'the copy keeps the digest');
    const signature = `${referrersTagFor(signed.digest)}.sig`;
    assert.equal(
      (await copied.resolve(signature)).digest,
      (await stagingClient.repository(parseReference(`${stagingProxy.host}/apps/podinfo`)).resolve(signature)).digest,
      'the cosign signature tag is copied unchanged',
    );
  });

  test('Copy To… from the context menu copies a tag with its SBOM into a new repository, and the SBOM shows under the copy', async () => {
    await step('run Copy To… on 1.1.0 and pick the production registry', async () => {
      await expand(row(1, stagingProxy.host));
      await expand(row(2, 'apps/podinfo').first());
      await copyToFromMenu(row(3, '1.1.0').first());
      await pick(productionProxy.host);
    });
    await step('name a new repository and keep the tag', async () => {
      await newRepositorySameTag('sbom/podinfo');
    });
    await step('the preview counts the SBOM; copy', async () => {
      const dialog = page.locator('.monaco-dialog-box', { hasText: `to ${productionProxy.host}/sbom/podinfo:1.1.0?` });
      await dialog.waitFor({ timeout: 60_000 });
      assert.match(await dialog.innerText(), /Referrers: 1 SBOM\b/);
      await shot('copy-6-context-menu-preview-sbom');
      await dialog.locator('a.monaco-button', { hasText: /^Copy$/ }).click();
    });
    await step('reveal the copy and see its SBOM', async () => {
      const toast = page.locator('.notification-toast', { hasText: `Copied ${productionProxy.host}/sbom/podinfo@sha256:` });
      await toast.waitFor({ timeout: 60_000 });
      await toast.locator('a.monaco-button', { hasText: 'Reveal' }).click();
      await page.locator('.pane-body .monaco-list-row[aria-level="3"].selected', { hasText: '1.1.0' }).waitFor();
      await collapse(row(1, stagingProxy.host));
      await expand(row(3, '1.1.0').last());
      // Distribution has no referrers API: the copy wrote the sha256-<hex> fallback index the view reads.
      await row(4, 'SBOM (SPDX)').waitFor({ timeout: 60_000 });
      await shot('copy-7-revealed-with-sbom');
    });
  });

  test('"Copy Without Referrers" in the preview copies the signed tag alone: the copy keeps its digest and has no signature', async () => {
    await step('run Copy To… on the signed 1.0.0 into a new repository', async () => {
      await expand(row(1, stagingProxy.host));
      await expand(row(2, 'apps/podinfo').first());
      await copyToFromMenu(row(3, '1.0.0').first());
      await pick(productionProxy.host);
      await newRepositorySameTag('unsigned/podinfo');
    });
    await step('the preview offers to leave the signature behind; take it', async () => {
      const dialog = page.locator('.monaco-dialog-box', { hasText: `to ${productionProxy.host}/unsigned/podinfo:1.0.0?` });
      await dialog.waitFor({ timeout: 60_000 });
      assert.match(
        await dialog.innerText(),
        /"Copy Without Referrers" copies the artifact alone and leaves what refers to it behind: 1 signature\./,
      );
      await shot('copy-7b-without-referrers');
      await dialog.locator('a.monaco-button', { hasText: 'Copy Without Referrers' }).click();
      await page
        .locator('.notification-toast', { hasText: `Copied ${productionProxy.host}/unsigned/podinfo@${signed.digest.slice(0, 19)}` })
        .waitFor({ timeout: 60_000 });
    });
    const copy = productionClient.repository(parseReference(`${productionProxy.host}/unsigned/podinfo`));
    assert.equal((await copy.resolve('1.0.0')).digest, signed.digest, 'the copy keeps the digest');
    assert.deepEqual(await listAttached(copy, signed.digest), [], 'neither the .sig tag nor any referrer was copied');
  });

  test('Promote… copies the tag to the configured target and moves prod there only after a confirmation with both digests', async () => {
    await step('run Promote… on the source tag', async () => {
      await expand(row(1, stagingProxy.host));
      await expand(row(2, 'apps/podinfo').first());
      await contextMenu(page, row(3, '1.0.0').first(), 'Promote…', () =>
        page.locator('.quick-input-list .monaco-list-row', { hasText: 'Production' }).first().waitFor({ timeout: 10_000 }),
      );
      await shot('promote-1-targets');
      await pick('Production');
    });
    await step('confirm moving prod, seeing both digests', async () => {
      const dialog = page.locator('.monaco-dialog-box', { hasText: 'and move tag prod?' });
      await dialog.waitFor({ timeout: 60_000 });
      const text = await dialog.innerText();
      assert.match(
        text,
        new RegExp(`Promotion target "Production" \\(your user settings\\): ${productionProxy.host}/promoted/podinfo:prod`),
      );
      assert.match(text, new RegExp(`Tag prod MOVES:\\s+now:\\s+${oldProd.digest}\\s+after:\\s+${signed.digest}`));
      await shot('promote-2-confirm-both-digests');
      await dialog.locator('a.monaco-button', { hasText: 'Promote and Move Tag' }).click();
    });
    await step('see the promotion done', async () => {
      await page
        .locator('.notification-toast', { hasText: `Copied ${productionProxy.host}/promoted/podinfo@sha256:` })
        .waitFor({ timeout: 60_000 });
      await shot('promote-3-promoted');
    });
    const target = productionClient.repository(parseReference(`${productionProxy.host}/promoted/podinfo`));
    assert.equal((await target.resolve('prod')).digest, signed.digest, 'prod moved to the promoted digest');
    assert.equal(
      (await target.resolve(`${referrersTagFor(signed.digest)}.sig`)).digest.startsWith('sha256:'),
      true,
      'the signature came along',
    );
  });

  test("a promotion target from the workspace's settings is marked as not yours, and the confirmation says so before anything is copied", async () => {
    await step('run Promote… and see both targets', async () => {
      await contextMenu(page, row(3, '1.0.0').first(), 'Promote…', () =>
        page.locator('.quick-input-list .monaco-list-row', { hasText: 'Team mirror' }).first().waitFor({ timeout: 10_000 }),
      );
      const mirror = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Team mirror' }).first();
      assert.match(await mirror.innerText(), /from this workspace's settings, not yours/);
      const production = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Production' }).first();
      assert.doesNotMatch(await production.innerText(), /not yours/);
      await shot('promote-4-workspace-target-marked');
      await pick('Team mirror');
    });
    await step('the confirmation names the workspace as the source of the target; cancel', async () => {
      const dialog = page.locator('.monaco-dialog-box', { hasText: `to ${productionProxy.host}/mirror/podinfo:stable?` });
      await dialog.waitFor({ timeout: 60_000 });
      assert.match(
        await dialog.innerText(),
        new RegExp(`comes from this workspace's settings, not yours: check that ${productionProxy.host}/mirror/podinfo:stable is where`),
      );
      await shot('promote-5-workspace-target-confirm');
      await dialog.locator('a.monaco-button', { hasText: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
    });
    await assert.rejects(
      productionClient.repository(parseReference(`${productionProxy.host}/mirror/podinfo`)).resolve('stable'),
      /MANIFEST_UNKNOWN|NAME_UNKNOWN|not found|unknown/i,
      'nothing was copied to the workspace-chosen target',
    );
  });

  test('Copy Repository To… copies every tag of a repository with its signatures after a confirmation that counts them', async () => {
    const source = stagingClient.repository(parseReference(`${stagingProxy.host}/apps/podinfo`));
    const releases: string[] = [];
    for await (const tag of source.tags()) if (!tag.startsWith('sha256-')) releases.push(tag);
    await step('run Copy Repository To… on apps/podinfo and pick the production registry', async () => {
      await expand(row(1, stagingProxy.host));
      await contextMenu(page, row(2, 'apps/podinfo').first(), 'Copy Repository To…', () =>
        page.locator('.quick-input-widget', { hasText: 'To… (1/3): registry' }).waitFor({ timeout: 10_000 }),
      );
      await pick(productionProxy.host);
    });
    await step('name a new repository and take all tags', async () => {
      await page.locator('.quick-input-widget', { hasText: `repository at ${productionProxy.host}` }).waitFor();
      await pick('New repository…');
      await page.locator('.quick-input-widget', { hasText: 'Repository path' }).waitFor();
      await page.locator('.quick-input-widget input').fill('mirror-all/podinfo');
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: 'which tags' }).waitFor();
      await pick('All tags');
    });
    await step('the confirmation counts the tags before anything is copied; copy', async () => {
      const dialog = page.locator('.monaco-dialog-box', { hasText: `to ${productionProxy.host}/mirror-all/podinfo?` });
      await dialog.waitFor({ timeout: 60_000 });
      assert.match(await dialog.innerText(), new RegExp(`Tags: ${releases.length} to copy, 0 already there.*, 0 drifted`));
      await assert.rejects(
        productionClient.repository(parseReference(`${productionProxy.host}/mirror-all/podinfo`)).resolve(releases[0]),
        /unknown/i,
      );
      await shot('copy-repository-1-confirmation');
      await dialog.locator('a.monaco-button', { hasText: /^Copy$/ }).click();
    });
    await step('every tag is there at its digest, with its cosign signature', async () => {
      await page
        .locator('.notification-toast', { hasText: `(${releases.length} copied, 0 moved, 0 skipped (already there), 0 drifted, 0 failed)` })
        .waitFor({ timeout: 120_000 });
      const mirror = productionClient.repository(parseReference(`${productionProxy.host}/mirror-all/podinfo`));
      for (const tag of releases) {
        const digest = (await source.resolve(tag)).digest;
        assert.equal((await mirror.resolve(tag)).digest, digest, tag);
        assert.deepEqual(
          (await listAttached(mirror, digest)).map((a) => a.tag ?? a.descriptor.digest),
          (await listAttached(source, digest)).map((a) => a.tag ?? a.descriptor.digest),
          tag,
        );
      }
      await shot('copy-repository-2-copied');
    });
  });

  test("through the copy and the promotions, each registry only ever received its own login: staging's never reached production, nor the reverse", () => {
    assert.ok(seen.staging.length > 0 && seen.production.length > 0, 'the editor signed in to both registries');
    assert.deepEqual([...new Set(seen.staging)], [basic(staging.admin)]);
    assert.deepEqual([...new Set(seen.production)], [basic(promoter)]);
  });
});
