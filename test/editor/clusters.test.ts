// The Clusters view in a real VS Code (code-server): two kubeconfig contexts served by API doubles
// (prod-eu with a bearer token, staging through an exec plugin) and a real registry (CNCF
// Distribution) whose tag 1.2.0 has moved on since staging reconciled it.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { OciClient, parseReference } from '../../src/oci';
import { pushArtifact } from '../integration/fixtures';
import { kustomization, ociRepository } from '../support/clusterObjects';
import { startFleet, type Fleet } from '../support/clusterFleet';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { startCodeServer, type RunningCodeServer } from './codeServer';
import { contextMenu, editorSuiteSkip, expandUntil, openWorkbench, quickOpen, SHOTS, stepper, VSIX } from './workbench';

const EDITOR_SKIP = editorSuiteSkip();
const short = (digest: string) => digest.slice(0, 'sha256:'.length + 12);

describe('the Clusters view in a real VS Code', { skip: EDITOR_SKIP, timeout: 300_000 }, () => {
  let registry: RunningRegistry;
  let fleet: Fleet;
  let editor: RunningCodeServer;
  let browser: Browser;
  let page: Page;
  let OLD: string;
  let NEW: string;

  const step = stepper(() => page, 'clusters-');

  /** A pane of the OCI GitOps side bar by its title. */
  const pane = (title: string) => page.locator('.pane', { has: page.locator('.pane-header', { hasText: title }) });

  /** A row of a view at a depth with exactly this label. */
  function row(view: string, level: number, label: string): Locator {
    const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    return pane(view)
      .locator(`.monaco-list-row[aria-level="${level}"]`)
      .filter({ has: page.locator('.label-name', { hasText: exact }) });
  }

  /**
   * The row of a context's source, by a text only it shows (its revision): rows of a tree are
   * siblings in the DOM, so both contexts' apps/web would otherwise match.
   */
  async function sourceRow(context: string, text: string): Promise<Locator> {
    const contextRow = row('Clusters', 1, context);
    await contextRow.waitFor({ timeout: 60_000 });
    const source = pane('Clusters').locator('.monaco-list-row[aria-level="2"]', { hasText: text });
    await expandUntil(contextRow, source);
    return source;
  }

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    registry = await startRegistry({ auth: 'none' });
    const repository = `${registry.host}/team/web`;
    const client = new OciClient();
    const repo = client.repository(parseReference(repository));
    OLD = (await pushArtifact(repo, '1.2.0', { files: { 'app.yaml': 'replicas: 2\n' } })).digest;
    NEW = (await pushArtifact(repo, '1.2.0', { files: { 'app.yaml': 'replicas: 3\n' } })).digest;
    await client.close();
    fleet = await startFleet({
      prod: [
        ociRepository({ namespace: 'apps', name: 'web', repository, tag: '1.2.0', digest: NEW, verified: true }),
        kustomization({ namespace: 'apps', name: 'web', source: 'web', revision: `1.2.0@${NEW}` }),
      ],
      staging: [ociRepository({ namespace: 'apps', name: 'web', repository, tag: '1.2.0', digest: OLD })],
    });
    editor = await startCodeServer(
      VSIX,
      { 'ociGitops.registries': [{ url: registry.host, label: 'Fleet registry' }], 'ociGitops.clusters.kubeconfig': fleet.kubeconfigFile },
      {
        'deploy/web.yaml': [
          'apiVersion: source.toolkit.fluxcd.io/v1',
          'kind: OCIRepository',
          'metadata:',
          '  name: web',
          '  namespace: apps',
          'spec:',
          '  interval: 5m',
          `  url: oci://${repository}`,
          '  ref:',
          '    tag: 1.2.0',
          '',
        ].join('\n'),
      },
    );
    ({ browser, page } = await openWorkbench(editor.url, { width: 1400, height: 1000 }));
    await page.locator('.activitybar [aria-label^="OCI GitOps"]').first().click();
    await pane('Clusters').waitFor();
    // The Clusters view starts collapsed (it reads no kubeconfig until opened). Opened, it gets the
    // sidebar to itself until a test needs the Registries view beside it, so its rows all render.
    const header = pane('Clusters').locator('.pane-header');
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    const registries = pane('Registries').locator('.pane-header');
    if ((await registries.getAttribute('aria-expanded')) === 'true') await registries.click();
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await editor?.stop().catch(() => undefined);
    await fleet?.stop().catch(() => undefined);
    await registry?.stop().catch(() => undefined);
  });

  test("the Clusters view lists both contexts' sources with the revision each runs", async () => {
    const prod = await step('expand prod-eu', () => sourceRow('prod-eu', short(NEW)));
    assert.match(await prod.innerText(), new RegExp(`^apps/web\\s*OCIRepository · 1\\.2\\.0@${short(NEW)} · Ready, verified`));
    const staging = await step('expand staging', () => sourceRow('staging', short(OLD)));
    assert.match(await staging.innerText(), new RegExp(`^apps/web\\s*OCIRepository · 1\\.2\\.0@${short(OLD)} · Ready\\s*$`));
    await step('expand the prod-eu source', async () => {
      await expandUntil(prod, pane('Clusters').locator('.monaco-list-row[aria-level="3"]', { hasText: 'Kustomization apps/web' }));
    });
    assert.ok(await pane('Clusters').locator('.monaco-list-row[aria-level="3"]', { hasText: 'Last reconciled' }).count());
    await page.screenshot({ path: join(SHOTS, 'clusters-1-view.png') });
  });

  test('the Registries view marks the tag running in prod-eu and behind in staging, with both digests', async () => {
    const tag = row('Registries', 3, '1.2.0');
    await step('expand the registry and the repository', async () => {
      const header = pane('Registries').locator('.pane-header');
      if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
      await expandUntil(row('Registries', 1, 'Fleet registry'), row('Registries', 2, 'team/web'));
      await expandUntil(row('Registries', 2, 'team/web'), tag);
    });
    await step('see the marks', () =>
      tag.locator('.label-description', { hasText: /running in prod-eu · behind in staging/ }).waitFor({ timeout: 60_000 }),
    );
    const hover = await step('hover the tag', async () => {
      await tag.locator('.label-name').hover();
      const shown = page.locator('.monaco-hover, .workbench-hover', { hasText: 'Behind in staging' }).first();
      await shown.waitFor({ timeout: 20_000 });
      // The hover's markdown renders spaces as no-break spaces.
      return (await shown.innerText()).replace(/\s+/g, ' ');
    });
    assert.ok(hover.includes(`runs ${short(OLD)}`), hover);
    assert.ok(hover.includes(`1.2.0 is now ${short(NEW)}`), hover);
    await page.screenshot({ path: join(SHOTS, 'clusters-2-registries-marks.png') });
  });

  test("a source's row opens its tag in the Registries view", async () => {
    const tag = row('Registries', 3, '1.2.0');
    await step('collapse the tag row selection, then click the staging source', async () => {
      await row('Registries', 1, 'Fleet registry').click();
      // Beside the Registries view the Clusters view is short: fold prod-eu so staging's rows show.
      const prod = row('Clusters', 1, 'prod-eu');
      if ((await prod.getAttribute('aria-expanded')) === 'true') await prod.locator('.monaco-tl-twistie').click();
      await (await sourceRow('staging', short(OLD))).locator('.label-name').click();
    });
    await step('the tag is selected in the Registries view', () =>
      pane('Registries').locator('.monaco-list-row.selected[aria-level="3"]', { hasText: '1.2.0' }).waitFor({ timeout: 30_000 }),
    );
    assert.equal(await tag.getAttribute('aria-selected'), 'true');
  });

  test('an OCIRepository open in the editor shows the revision each context runs', async () => {
    await step('open deploy/web.yaml', () => quickOpen(page, 'web.yaml'));
    const lens = page.locator('.codelens-decoration', { hasText: 'prod-eu: 1.2.0@' }).first();
    await step('see the CodeLens', () => lens.waitFor({ timeout: 60_000 }));
    const text = await lens.innerText();
    assert.ok(text.includes(`prod-eu: 1.2.0@${short(NEW)}`), text);
    assert.ok(text.includes(`staging: 1.2.0@${short(OLD)}`), text);
  });

  test('Reconcile now asks first, naming context and object, and sets only the annotation once confirmed', async () => {
    const prod = await sourceRow('prod-eu', short(NEW));
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'Reconcile OCIRepository apps/web in context prod-eu now?' });
    await step('cancel the first time', async () => {
      await contextMenu(page, prod, 'Reconcile Now…', () => dialog.waitFor({ timeout: 10_000 }));
      assert.match(await dialog.innerText(), /reconcile\.fluxcd\.io\/requestedAt/);
      await dialog.locator('a.monaco-button', { hasText: /^Cancel$/ }).click();
      await dialog.waitFor({ state: 'detached' });
    });
    assert.equal(fleet.prod.requests.filter((r) => r.method === 'PATCH').length, 0, 'nothing written without confirmation');
    await step('confirm', async () => {
      await contextMenu(page, await sourceRow('prod-eu', short(NEW)), 'Reconcile Now…', () => dialog.waitFor({ timeout: 10_000 }));
      await dialog.locator('a.monaco-button', { hasText: /^Reconcile$/ }).click();
    });
    const web = fleet.prod.objects.find((o) => o.kind === 'OCIRepository')!;
    for (let i = 0; i < 100 && !web.metadata.annotations; i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(Object.keys(web.metadata.annotations ?? {}), ['reconcile.fluxcd.io/requestedAt']);
    assert.ok(!Number.isNaN(Date.parse(web.metadata.annotations!['reconcile.fluxcd.io/requestedAt'])));
    assert.deepEqual(
      fleet.prod.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`),
      ['PATCH /apis/source.toolkit.fluxcd.io/v1/namespaces/apps/ocirepositories/web'],
    );
    assert.equal(fleet.staging.requests.filter((r) => r.method !== 'GET').length, 0);
  });
});
