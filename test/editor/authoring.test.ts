import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { OciClient, parseReference } from '../../src/oci';
import { pushArtifact } from '../integration/fixtures';
import { pushHelmChart } from '../support/helmChart';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { startCodeServer, type RunningCodeServer } from './codeServer';
import { editorSuiteSkip, openWorkbench, quickOpen, ROOT, stepper, VSIX } from './workbench';

const shots = join(ROOT, 'test-artifacts', 'editor-authoring');
const EDITOR_SKIP = editorSuiteSkip();

/** Registry-aware authoring in the packaged extension, in a real VS Code (code-server), against Distribution. */
describe('registry-aware authoring in a real VS Code (code-server)', { skip: EDITOR_SKIP, timeout: 300_000 }, () => {
  let registry: RunningRegistry;
  let editor: RunningCodeServer;
  let browser: Browser;
  let page: Page;

  const step = stepper(() => page, '', shots);

  async function open(file: string): Promise<void> {
    await quickOpen(page, file);
    await page.locator('.editor-instance .view-lines').first().click();
  }

  /**
   * Puts the cursor at the end of the file and asks for suggestions until one with `label` shows.
   * The providers register once validation has loaded (on the first GitOps YAML), and the first
   * answer may still be on its way from the registry: the request is repeated, not waited out blindly.
   */
  async function suggestAtEnd(label: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Control+Space');
      try {
        await page.locator('.suggest-widget .monaco-list-row', { hasText: label }).first().waitFor({ timeout: 5_000 });
        return;
      } catch (error) {
        await page.keyboard.press('Escape');
        if (attempt === 8) throw error;
      }
    }
  }

  async function suggestions(): Promise<string[]> {
    return (await page.locator('.suggest-widget .monaco-list-row .label-name').allTextContents()).map((t) => t.trim());
  }

  before(async () => {
    mkdirSync(shots, { recursive: true });
    registry = await startRegistry({ auth: 'none' });
    const client = new OciClient();
    const app = client.repository(parseReference(`${registry.host}/fleet/app`));
    for (const [i, tag] of ['1.9.0', '1.10.0', '1.10.1-rc.1', 'latest'].entries())
      await pushArtifact(app, tag, { files: { 'app.yaml': `replicas: ${i}\n` } });
    const chart = client.repository(parseReference(`${registry.host}/charts/podinfo`));
    for (const version of ['6.4.0', '6.5.0'])
      await pushHelmChart(chart, {
        name: 'podinfo',
        version,
        values:
          '# Number of pods\nreplicaCount: 1\nimage:\n  tag: latest\ningress:\n  hosts:\n    - host: podinfo.local\n      paths:\n        - path: /\n',
      });
    await client.close();
    const oci = (ref: string) =>
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  interval: 5m\n  url: oci://${registry.host}/fleet/app\n  ref:\n    ${ref}`;
    const helmApp = (tail: string) =>
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: podinfo\n  namespace: argocd\nspec:\n  project: default\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: podinfo\n  source:\n    repoURL: ${registry.host}/charts\n    chart: podinfo\n${tail}`;
    editor = await startCodeServer(
      VSIX,
      {},
      {
        'flux/tag.yaml': oci('tag: '),
        'flux/semver.yaml': oci('semver: ">=1.9.0"'),
        'argo/version.yaml': helmApp('    targetRevision: '),
        'argo/values.yaml': helmApp('    targetRevision: 6.5.0\n    helm:\n      valuesObject:\n        rep'),
        'argo/list-item.yaml': helmApp(
          '    targetRevision: 6.5.0\n    helm:\n      valuesObject:\n        ingress:\n          hosts:\n            - host: web.example.com\n              pa',
        ),
      },
    );
    ({ browser, page } = await openWorkbench(editor.url));
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await editor?.stop().catch(() => undefined);
    await registry?.stop().catch(() => undefined);
  });

  test('typing ref:\\n    tag: offers the repository’s tags, newest version first, with kind, age and short digest', async () => {
    await step('ask for completion after tag:', async () => {
      await open('tag.yaml');
      await suggestAtEnd('1.10.1-rc.1');
    });
    await step('read the suggestions', async () => {
      const labels = await suggestions();
      assert.deepEqual(labels.slice(0, 4), ['1.10.1-rc.1', '1.10.0', '1.9.0', 'latest']);
      await page.screenshot({ path: join(shots, '01-tag-completion.png') });
    });
    await step('ask again: the details looked up meanwhile show beside each tag', async () => {
      await page.keyboard.press('Escape');
      for (let attempt = 1; ; attempt++) {
        await suggestAtEnd('1.10.0');
        try {
          await page
            .locator('.suggest-widget .monaco-list-row', { hasText: /1\.10\.0.*·\s*[0-9a-f]{12}/ })
            .first()
            .waitFor({ timeout: 3_000 });
          break;
        } catch (error) {
          await page.keyboard.press('Escape');
          if (attempt === 5) throw error;
        }
      }
      await page.screenshot({ path: join(shots, '01b-tag-details.png') });
    });
    await step('accept the newest release', async () => {
      await page.keyboard.press('Escape');
      await suggestAtEnd('1.10.0');
      await page
        .locator('.suggest-widget .monaco-list-row', { hasText: /^1\.10\.0/ })
        .first()
        .click();
      await page.locator('.editor-instance .view-lines', { hasText: 'tag: 1.10.0' }).first().waitFor();
    });
  });

  test('hovering a semver range shows the tag Flux picks and the matching versions; the CodeLens says it too', async () => {
    await step('see the CodeLens', async () => {
      await open('semver.yaml');
      await page.locator('.codelens-decoration', { hasText: 'Flux picks 1.10.0' }).first().waitFor({ timeout: 60_000 });
    });
    await step('hover the constraint', async () => {
      // The token itself (the line's outer span holds the key too, where the schema's hover answers).
      await page
        .locator('.editor-instance .view-line span span', { hasText: /^"?>=1\.9\.0"?$/ })
        .first()
        .hover();
      const hover = page.locator('.monaco-hover', { hasText: 'Picks' }).first();
      await hover.waitFor({ timeout: 20_000 });
      const text = await hover.textContent();
      assert.match(text ?? '', /Picks\s*1\.10\.0/);
      assert.match(text ?? '', /Flux \(OCIRepository ref\.semver\)/);
      assert.doesNotMatch(text ?? '', /1\.10\.1-rc\.1/);
      await page.screenshot({ path: join(shots, '02-semver-hover.png') });
      await page.mouse.move(5, 5);
    });
  });

  test('completing targetRevision of an Argo CD Helm-OCI Application offers the chart’s versions', async () => {
    await step('ask for completion after targetRevision:', async () => {
      await open('version.yaml');
      await suggestAtEnd('6.5.0');
      const labels = await suggestions();
      assert.deepEqual(labels.slice(0, 2), ['6.5.0', '6.4.0']);
      await page.screenshot({ path: join(shots, '03-chart-versions.png') });
      await page.keyboard.press('Escape');
    });
  });

  test('completing a key under helm.valuesObject offers the chart’s values.yaml keys', async () => {
    await step('ask for completion inside valuesObject', async () => {
      await open('values.yaml');
      await suggestAtEnd('replicaCount');
      await page.screenshot({ path: join(shots, '04-values-keys.png') });
      await page.keyboard.press('Enter');
      await page.locator('.editor-instance .view-lines', { hasText: 'replicaCount:' }).first().waitFor();
    });
  });

  test('inside an item of a values list, the keys of the chart’s default items are offered', async () => {
    await step('ask for completion under ingress.hosts[]', async () => {
      await open('list-item.yaml');
      await suggestAtEnd('paths');
      assert.deepEqual(await suggestions(), ['paths'], 'what is typed, pa, leaves only paths');
      await page.screenshot({ path: join(shots, '05-values-list-item.png') });
      await page.keyboard.press('Enter');
      await page.locator('.editor-instance .view-lines', { hasText: 'paths:' }).first().waitFor();
    });
  });
});
