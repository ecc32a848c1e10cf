import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { OciClient, parseReference } from '../../src/oci';
import { seedSampleArtifacts } from '../sandbox/seed';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { startFakeOidcIssuer, startSigstore, type FakeOidcIssuer, type RunningSigstore } from '../support/sigstoreServer';
import { startCodeServer, type RunningCodeServer } from './codeServer';
import {
  contextMenu as openContextMenu,
  editorSuiteSkip,
  expandUntil,
  openWorkbench,
  pick as pickQuickItem,
  quickOpen,
  runCommand as runPaletteCommand,
  SHOTS,
  stepper,
  VSIX,
} from './workbench';

const EDITOR_SKIP = editorSuiteSkip();

describe('the packaged extension in a real VS Code (code-server)', { skip: EDITOR_SKIP, timeout: 300_000 }, () => {
  let registry: RunningRegistry;
  let sigstore: RunningSigstore;
  let oidc: FakeOidcIssuer;
  let editor: RunningCodeServer;
  let browser: Browser;
  let page: Page;

  async function shot(name: string): Promise<void> {
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  }

  const runCommand = (title: string) => runPaletteCommand(page, title);

  /** Runs one UI step; on failure keeps a screenshot and says which step it was. */
  const step = stepper(() => page, '');

  /** Shows the Registries view; clicking the activity bar icon of the active view would hide it. */
  async function showRegistries(): Promise<void> {
    if (!(await page.locator('.sidebar .title-label', { hasText: 'OCI GitOps' }).first().isVisible())) {
      await page.locator('.activitybar [aria-label^="OCI GitOps"]').first().click();
    }
    await page.locator('.sidebar .title-label', { hasText: 'OCI GitOps' }).first().waitFor();
  }

  const contextMenu = (row: Locator, label: string, opened: () => Promise<unknown>) => openContextMenu(page, row, label, opened);
  const pick = (label: string) => pickQuickItem(page, label);

  function treeRow(label: string) {
    return page.locator('.pane-body .monaco-list-row', { hasText: label }).first();
  }

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    registry = await startRegistry({ auth: 'none', accessLog: true });
    const client = new OciClient();
    await seedSampleArtifacts(client, registry.host);
    await client.close();
    // A local Sigstore (Fulcio, Rekor) and identity provider for keyless signing from the editor.
    sigstore = await startSigstore();
    oidc = await startFakeOidcIssuer({ sub: 'ci@example.test', email: 'ci@example.test', email_verified: true });
    editor = await startCodeServer(
      VSIX,
      {
        'ociGitops.signing.sigstore.fulcioUrl': sigstore.fulcioURL,
        'ociGitops.signing.sigstore.rekorUrl': sigstore.rekorURL,
        'ociGitops.signing.sigstore.oidcIssuer': oidc.url,
        'ociGitops.signing.sigstore.trustedRoot': 'sigstore/trusted_root.json',
        'ociGitops.signing.sigstore.identities': [{ issuer: '^http://127\\.0\\.0\\.1:[0-9]+/auth$', subject: '^ci@example\\.test$' }],
      },
      {
        'sigstore/trusted_root.json': JSON.stringify(sigstore.trustedRoot),
        'deploy/kustomization.yaml': 'resources:\n  - web.yaml\n',
        'deploy/web.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  greeting: hello\n',
        'clusters/app-source.yaml':
          'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  interval: 5m\n  url: oci://ghcr.io/org/app:1.2.3\n',
        'clusters/podinfo-app.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: podinfo\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: oci://${registry.host}/apps/podinfo\n    targetRevision: 1.1.0\n    path: .\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: podinfo\n  syncPolicy:\n    automated:\n      selfHeall: true\n`,
        'broken/source.yaml':
          'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  interval: 5m\n  url: oci://ghcr.io/org/app:1.2.3\n',
        // An app-of-apps chart, as in argoproj/argocd-example-apps apps/templates: Applications Helm renders.
        'charts/apps/Chart.yaml': 'apiVersion: v2\nname: apps\nversion: 0.1.0\n',
        'charts/apps/values.yaml': 'spec:\n  destination:\n    server: https://kubernetes.default.svc\n',
        'charts/apps/templates/applications.yaml':
          '{{- range .Values.apps }}\n---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: {{ .name }}\nspec:\n  destination:\n    server: {{ $.Values.spec.destination.server }}\n  source:\n    repoURL: {{ .repoURL }}\n{{- end }}\n',
        // A production overlay patching a HelmRelease, as in fluxcd/flux2-kustomize-helm-example (plus one misspelt field).
        'apps/production/kustomization.yaml':
          'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../base\npatches:\n  - path: podinfo-values.yaml\n    target:\n      kind: HelmRelease\n',
        'apps/production/podinfo-values.yaml':
          'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n  namespace: podinfo\nspec:\n  interval: 1h\n  valuez:\n    replicaCount: 3\n',
      },
    );
    ({ browser, page } = await openWorkbench(editor.url));
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await editor?.stop().catch(() => undefined);
    await registry?.stop().catch(() => undefined);
    await sigstore?.stop().catch(() => undefined);
    await oidc?.stop().catch(() => undefined);
  });

  test('the activity bar has OCI GitOps, and its Registries view welcomes with "Add Registry…"', async () => {
    const item = page.locator('.activitybar [aria-label^="OCI GitOps"]').first();
    await item.waitFor({ timeout: 60_000 });
    await item.click();
    await page.getByText('Browse the OCI registries that hold your Flux and Argo CD artifacts', { exact: false }).waitFor();
    const button = page.locator('.welcome-view-content a.monaco-button', { hasText: 'Add Registry…' });
    await button.waitFor();
    await shot('1-registries-welcome');
    assert.equal(await button.count(), 1);
  });

  test('"OCI GitOps: Show Log" runs from the command palette and shows the activated extension\'s log', async () => {
    await runCommand('OCI GitOps: Show Log');
    const output = page.locator('.part.panel .view-lines');
    await output.filter({ hasText: 'OCI GitOps activated' }).first().waitFor({ timeout: 30_000 });
    await shot('2-show-log');
  });

  test('"Add Registry…" adds a real local registry, and browsing shows its repositories and tags', async () => {
    await page.locator('.welcome-view-content a.monaco-button', { hasText: 'Add Registry…' }).click();
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(registry.host);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Anonymous' }).first().waitFor();
    await shot('3-add-registry-auth');
    await page.keyboard.press('Enter');
    await treeRow(registry.host).waitFor();
    await treeRow(registry.host).click();
    await treeRow('apps/podinfo').waitFor();
    for (const repository of ['charts/hello', 'infra/monitoring']) await treeRow(repository).waitFor();
    await treeRow('apps/podinfo').click();
    await treeRow('1.1.0').waitFor();
    await page.locator('.pane-body .monaco-list-row', { hasText: 'Manifests tarball' }).first().waitFor();
    const labels = await page.locator('.pane-body .monaco-list-row .label-name').allInnerTexts();
    const tags = labels.map((l) => l.trim()).filter((l) => ['1.1.0', '1.0.0', 'latest'].includes(l));
    assert.deepEqual(tags, ['1.1.0', '1.0.0', 'latest'], 'tags newest first; the SBOM fallback tag is hidden');
    assert.ok(!labels.some((l) => l.startsWith('sha256-')), 'referrers fallback tags are not listed as tags');
    await shot('4-registry-tree');
  });

  test('clicking a tag opens its artifact panel with digest, annotations and the SBOM referrer', async () => {
    await step('open the artifact panel of 1.1.0', async () => {
      // The row redraws when its manifest summary arrives; use the row's inline action, which stays put.
      await page.locator('.pane-body .monaco-list-row', { hasText: 'Manifests tarball' }).first().waitFor();
      const row = treeRow('1.1.0');
      await row.hover();
      await row.locator('.action-label[aria-label="Show Artifact Details"]').click();
      const frame = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
      await frame.getByText('org.opencontainers.image.source').waitFor({ timeout: 30_000 });
      await frame.getByText('SBOM (SPDX)').waitFor();
      await frame.getByText('https://github.com/example/fleet-infra').waitFor();
      await shot('5-artifact-panel');
    });
  });

  test('"Push Folder as OCI Artifact…" from the Explorer pushes a workspace folder, which then shows in the Registries view', async () => {
    await step('open the Explorer', async () => {
      await page.locator('.activitybar [aria-label^="Explorer"]').first().click();
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'deploy' }).first().waitFor();
    });
    await step('run the Explorer context menu command', async () => {
      // The context menu sometimes swallows a click made while it is still laying out; try again then.
      const input = page.locator('.quick-input-widget input');
      for (let attempt = 1; ; attempt++) {
        if (!(await page.locator('.context-view .action-label').first().isVisible())) {
          await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'deploy' }).first().click({ button: 'right' });
        }
        const item = page.locator('.context-view .action-label', { hasText: 'Push Folder as OCI Artifact…' }).first();
        await item.waitFor();
        await item.hover();
        await item.click();
        try {
          await input.waitFor({ state: 'visible', timeout: 5_000 });
          return;
        } catch (error) {
          if (attempt >= 3) throw error;
        }
      }
    });
    await step('enter the target and format', async () => {
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await input.fill(`${registry.host}/fleet/deploy:1.0.0`);
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: 'more tags' }).waitFor();
      await input.fill('latest');
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Standard tarball' }).first().waitFor();
      await page.keyboard.press('Enter');
    });
    await step('confirm the summary', async () => {
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.getByText('2 files', { exact: false }).waitFor();
      await dialog.getByText('as 1.0.0, latest', { exact: false }).waitFor();
      await shot('6-push-confirm');
      await dialog.locator('a.monaco-button', { hasText: /^Push$/ }).click();
    });
    const toast = page.locator('.notification-toast', { hasText: 'Pushed deploy as' });
    await step('see the pushed notification', async () => {
      await toast.waitFor({ timeout: 60_000 });
      await shot('7-pushed');
    });
    await step('reveal the pushed tag in the Registries view', async () => {
      await toast.locator('a.monaco-button', { hasText: 'Reveal in Registry Explorer' }).click();
      await treeRow('fleet/deploy').waitFor();
      await page.locator('.pane-body .monaco-list-row.selected', { hasText: '1.0.0' }).waitFor();
      await shot('8-revealed');
    });
    const pushed = await new OciClient().repository(parseReference(`${registry.host}/fleet/deploy`)).fetchManifest('1.0.0');
    assert.equal(pushed.manifest.artifactType, 'application/vnd.oci-gitops.manifests.v1');
  });

  test('a tag expands into its files and its cosign signature; a file opens read-only in a normal editor', async () => {
    await step('expand the 1.0.0 tag', async () => {
      await showRegistries();
      await treeRow('1.0.0').locator('.monaco-tl-twistie').click();
      await treeRow('deployment.yaml').waitFor();
      await treeRow('Cosign signature (.sig tag)').waitFor();
      await shot('9-tag-files-and-signature');
    });
    await step('open deployment.yaml from the artifact', async () => {
      await treeRow('deployment.yaml').click();
      await page.locator('.tabs-container .tab', { hasText: 'deployment.yaml' }).waitFor();
      await page.locator('.editor-instance .view-lines', { hasText: 'kind: Deployment' }).first().waitFor();
      await shot('10-artifact-file');
    });
  });

  test('"Compare With…" lists the changed files of two tags and opens the diff editor', async () => {
    await step('run Compare With… on 1.1.0', async () => {
      await showRegistries();
      await contextMenu(treeRow('1.1.0'), 'Compare With…', () =>
        page.locator('.quick-input-list .monaco-list-row', { hasText: '1.0.0' }).first().waitFor({ timeout: 5_000 }),
      );
    });
    await step('pick 1.0.0 and a changed file', async () => {
      await pick('1.0.0');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'deployment.yaml' }).first().waitFor({ timeout: 30_000 });
      await page.locator('.quick-input-widget', { hasText: '1 changed' }).waitFor();
      await shot('11-compare-list');
      await pick('deployment.yaml');
      await page.locator('.tabs-container .tab', { hasText: '↔' }).waitFor();
      await page.locator('.monaco-diff-editor').first().waitFor();
      await shot('12-compare-diff');
    });
  });

  test('a Flux artifact pushed by another tool shows its cosign signature, opens a YAML file, and diffs with the previous tag', async () => {
    await step('expand the Flux artifact', async () => {
      await showRegistries();
      await treeRow('infra/monitoring').click();
      await page.locator('.pane-body .monaco-list-row', { hasText: 'Flux manifests' }).first().waitFor();
      const tag = treeRow('0.3.0');
      await tag.locator('.monaco-tl-twistie').click();
      await treeRow('Cosign signature (.sig tag)').waitFor();
      // No cosign.pub is configured, so the signature is found but cannot be verified: said so, not hidden.
      await page.locator('.pane-body .monaco-list-row', { hasText: 'signed, not verified' }).first().waitFor();
      await page
        .locator('.pane-body .monaco-list-row .label-name', { hasText: /^infra$/ })
        .first()
        .click();
      await treeRow('grafana.yaml').waitFor();
      await shot('13-flux-artifact-signature');
    });
    await step('open grafana.yaml', async () => {
      await treeRow('grafana.yaml').click();
      await page.locator('.tabs-container .tab', { hasText: 'grafana.yaml' }).waitFor();
      await page.locator('.editor-instance .view-lines', { hasText: 'kind: Deployment' }).first().waitFor();
    });
    await step('compare 0.3.0 with 0.2.0', async () => {
      const diffTab = page.locator('.tabs-container .tab', { hasText: 'grafana.yaml (0.3.0 ↔ 0.2.0)' }).first();
      // The whole gesture (context menu, both picks) is retried if the diff does not open: the tree
      // row redraws as summaries and signatures arrive, and a redraw can swallow a step of it.
      for (let attempt = 1; ; attempt++) {
        try {
          await contextMenu(treeRow('0.3.0'), 'Compare With…', () =>
            page.locator('.quick-input-list .monaco-list-row', { hasText: '0.2.0' }).first().waitFor({ timeout: 5_000 }),
          );
          await pick('0.2.0');
          await pick('infra/grafana.yaml');
          await diffTab.waitFor({ timeout: 15_000 });
          break;
        } catch (error) {
          if (attempt === 3) throw error;
          await page.keyboard.press('Escape');
        }
      }
      await page.locator('.monaco-diff-editor').first().waitFor();
      await shot('14-flux-diff');
    });
  });

  test('a generated cosign key pair signs a pushed artifact, and the tag then shows as verified', async () => {
    await step('generate a key pair into the workspace', async () => {
      await runCommand('OCI GitOps: Generate Signing Key Pair…');
      // The folder picker is VS Code's simple dialog, opened on the workspace folder.
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await page.waitForTimeout(500);
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: 'Password for cosign.key' }).waitFor();
      await input.fill('s3cret-pass');
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: 'Repeat the password' }).waitFor();
      await input.fill('s3cret-pass');
      await page.keyboard.press('Enter');
      const toast = page.locator('.notification-toast', { hasText: 'Key pair written' });
      await toast.waitFor();
      await shot('15-key-pair');
      await toast.locator('a.monaco-button', { hasText: 'Ask Each Time' }).click();
    });
    await step('sign fleet/deploy:1.0.0 from its context menu', async () => {
      await showRegistries();
      const row = page
        .locator('.pane-body .monaco-list-row', { hasText: 'Manifests tarball' })
        .filter({ has: page.locator('.label-name', { hasText: /^1\.0\.0$/ }) })
        .last();
      await contextMenu(row, 'Sign Artifact…', () =>
        page.locator('.quick-input-widget', { hasText: 'Password for' }).waitFor({ timeout: 5_000 }),
      );
      const input = page.locator('.quick-input-widget input');
      await input.fill('s3cret-pass');
      await page.keyboard.press('Enter');
      await page.locator('.notification-toast', { hasText: 'Signed' }).first().waitFor({ timeout: 60_000 });
    });
    await step('see the verified badge', async () => {
      const tag = page.locator('.pane-body .monaco-list-row', { hasText: 'fleet' }).first();
      await tag.waitFor();
      const v1 = page
        .locator('.pane-body .monaco-list-row', { hasText: 'Manifests tarball' })
        .filter({ has: page.locator('.label-name', { hasText: /^1\.0\.0$/ }) })
        .last();
      await expandUntil(treeRow('fleet/deploy'), v1);
      // The signing added a cosign .sig and a Sigstore bundle; the bundle verifies with the new key.
      await expandUntil(v1, page.locator('.pane-body .monaco-list-row', { hasText: 'Sigstore bundle' }).filter({ hasText: '✓ verified' }));
      await page.locator('.pane-body .monaco-list-row', { hasText: '✓ verified' }).first().waitFor({ timeout: 60_000 });
      await shot('16-verified');
    });
    await step('an expanded signed tag is quiet once its badges are drawn', async () => {
      // Redrawing the tag's row must not make the view load its children again (and redraw again):
      // once settled, the registry hears nothing more while nobody touches the view.
      await page.waitForTimeout(2_000);
      const settled = registry.requests().length;
      await page.waitForTimeout(4_000);
      assert.deepEqual(registry.requests().slice(settled), [], 'requests made while the view sat idle');
    });
  });

  test('keyless signing signs in through the browser, and the bundle then shows as verified for that identity', async () => {
    await step('sign apps/podinfo:1.1.0 keyless from its context menu', async () => {
      await showRegistries();
      const row = page
        .locator('.pane-body .monaco-list-row', { hasText: 'Manifests tarball' })
        .filter({ has: page.locator('.label-name', { hasText: /^1\.1\.0$/ }) })
        .first();
      await contextMenu(row, 'Sign Artifact Keyless (Sigstore)…', () =>
        page.locator('.monaco-dialog-box', { hasText: 'keyless with Sigstore' }).waitFor({ timeout: 5_000 }),
      );
      await shot('21-keyless-consent');
      // The sign-in page opens in a new browser tab; the fake issuer signs in at once and redirects back.
      const popup = page.context().waitForEvent('page', { timeout: 30_000 });
      await page.locator('.monaco-dialog-box a.monaco-button', { hasText: 'Sign In and Sign' }).click();
      await (await popup).waitForLoadState().catch(() => undefined);
      await page.locator('.notification-toast', { hasText: 'as ci@example.test' }).first().waitFor({ timeout: 60_000 });
      assert.ok((sigstore.requests.get('/api/v2/signingCert') ?? 0) >= 1, 'Fulcio issued a certificate');
      assert.ok(oidc.tokenRequests >= 1, 'the code was exchanged for an identity token');
    });
    await step('see the keyless bundle verified', async () => {
      await showRegistries();
      const tag = page
        .locator('.pane-body .monaco-list-row', { hasText: 'Manifests tarball' })
        .filter({ has: page.locator('.label-name', { hasText: /^1\.1\.0$/ }) })
        .first();
      await expandUntil(tag, page.locator('.pane-body .monaco-list-row', { hasText: 'Sigstore bundle' }));
      // The tag's badge comes from its own signatures only: its one keyless bundle must have verified.
      await page
        .locator('.pane-body .monaco-list-row', { hasText: '✓ verified' })
        .filter({ has: page.locator('.label-name', { hasText: /^1\.1\.0$/ }) })
        .first()
        .waitFor({ timeout: 60_000 });
      await page.locator('.pane-body .monaco-list-row', { hasText: 'Sigstore bundle' }).first().waitFor();
      await shot('22-keyless-verified');
    });
  });

  test('an OCIRepository with a tag in its url is flagged in the Problems panel, and the quick fix moves the tag to spec.ref', async () => {
    await step('open the file and see the problem', async () => {
      await quickOpen(page, 'app-source.yaml');
      await runCommand('View: Focus Problems');
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'must not contain the tag' }).first().waitFor();
      await shot('17-problems');
    });
    await step('apply the quick fix', async () => {
      // Code actions are computed asynchronously and the action list re-renders while diagnostics
      // settle, so the whole
      // gesture (open the lightbulb menu, click the fix) is retried until the edit
      // shows, rather than assuming the menu is ready and still on the first try.
      const fix = page.getByText('Move :1.2.3 to spec.ref.tag').first();
      const applied = page.locator('.editor-instance .view-lines', { hasText: 'tag: 1.2.3' }).first();
      for (let attempt = 1; ; attempt++) {
        // Put the cursor inside the faulty url with a click in the editor itself, so the lightbulb
        // menu belongs to the editor (not to the Problems panel, whose row tooltip closes it).
        await page.locator('.editor-instance .view-line span', { hasText: 'ghcr.io' }).first().click();
        await page.keyboard.press('Control+.');
        try {
          await fix.waitFor({ timeout: 5_000 });
          // The list grows as providers answer; let it settle before clicking (never type into it:
          // a key that misses the list lands in the editor, on the selected url).
          await page.waitForTimeout(400);
          await fix.click({ timeout: 3_000 });
          await applied.waitFor({ timeout: 5_000 });
          break;
        } catch (error) {
          if (attempt === 6) throw error;
          await page.keyboard.press('Escape');
        }
      }
      await page.locator('.editor-instance .view-lines', { hasText: 'tag: 1.2.3' }).first().waitFor();
      await page.locator('.editor-instance .view-lines', { hasText: 'url: oci://ghcr.io/org/app' }).first().waitFor();
      await shot('18-quick-fix');
    });
  });

  test('an Application with a misspelt field is flagged from the schema, its tag resolves live to a digest, and "Pin to digest" pins it', async () => {
    await step('open the Application and see the schema problem', async () => {
      await quickOpen(page, 'podinfo-app.yaml');
      await runCommand('View: Focus Problems');
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'Unknown field "selfHeall"' }).first().waitFor();
    });
    await step('see the tag resolved to its digest above targetRevision', async () => {
      await page.locator('.codelens-decoration', { hasText: '→ sha256:' }).first().waitFor({ timeout: 60_000 });
      await shot('19-live-codelens');
    });
    await step('hover a field and read what it does, from our schema', async () => {
      await page
        .locator('.editor-instance .view-line span', { hasText: /^targetRevision$/ })
        .first()
        .hover();
      await page.locator('.monaco-hover', { hasText: 'a tag, a digest' }).first().waitFor({ timeout: 15_000 });
      await shot('19b-schema-hover');
      await page.mouse.move(5, 5);
    });
    await step('pin it to the digest', async () => {
      await page.locator('.codelens-decoration a', { hasText: 'Pin to digest' }).first().click();
      await page.locator('.editor-instance .view-lines', { hasText: '# targetRevision: 1.1.0' }).first().waitFor();
      await page.locator('.editor-instance .view-lines', { hasText: 'targetRevision: sha256:' }).first().waitFor();
      await shot('20-pinned-to-digest');
    });
  });

  test('pushing a folder whose YAML has errors is stopped by the validation gate, which shows the problems', async () => {
    await step('push the broken folder', async () => {
      await page.keyboard.press('Escape');
      await page.locator('.activitybar [aria-label^="Explorer"]').first().click();
      const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'broken' }).first();
      await row.waitFor();
      await contextMenu(row, 'Push Folder as OCI Artifact…', () =>
        page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 5_000 }),
      );
      const input = page.locator('.quick-input-widget input');
      await input.fill(`${registry.host}/fleet/broken:1.0.0`);
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: 'more tags' }).waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Standard tarball' }).first().waitFor();
      await page.keyboard.press('Enter');
    });
    await step('the gate names the errors and shows them', async () => {
      const dialog = page.locator('.monaco-dialog-box', { hasText: '1 error in 1 YAML file of broken' });
      await dialog.waitFor();
      await shot('19-gate');
      await dialog.locator('a.monaco-button', { hasText: 'Show Problems' }).click();
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'source.yaml' }).first().waitFor();
    });
    const client = new OciClient();
    await assert.rejects(client.repository(parseReference(`${registry.host}/fleet/broken`)).resolve('1.0.0'), 'nothing was pushed');
    await client.close();
  });
  test('a Helm template shows no problems from us, and a kustomize patch none for the fields the object it patches holds', async () => {
    const problem = (text: string) => page.locator('.markers-panel .monaco-list-row', { hasText: text });
    await step('open the chart template, then the patch', async () => {
      await quickOpen(page, 'applications.yaml');
      await quickOpen(page, 'podinfo-values.yaml');
      await runCommand('View: Focus Problems');
    });
    await step('the patch is checked: its misspelt field is flagged', async () => {
      await problem('Unknown field "valuez"').first().waitFor({ timeout: 30_000 });
      await shot('23-template-and-patch');
    });
    // Found in the same pass as the misspelling: a whole HelmRelease without chart or chartRef
    // would have FLUX003 and a schema error beside it.
    assert.equal(await problem('spec.chart or spec.chartRef').count(), 0, 'no FLUX003 on a patch');
    assert.equal(await problem('Missing required field').count(), 0, 'no missing required field on a patch');
    // The template was checked (and skipped) on open, before the patch was even opened.
    assert.equal(await problem('applications.yaml').count(), 0, 'the Helm template has no problems listed');
  });
});
