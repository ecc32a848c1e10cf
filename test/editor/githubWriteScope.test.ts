import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { GitHubProvider } from '../../src/cloud/github/githubProvider';
import { OciClient, parseReference } from '../../src/oci';
import { chosenProvider } from '../cloud/chosenProvider';
import { pushArtifact } from '../integration/fixtures';
import { startGhcrServer, type GhcrServer } from '../support/ghcrServer';
import { startCodeServer, type RunningCodeServer } from './codeServer';
import { placesTokensMustNotReach, testAuthenticationExtensions } from './testAuthentication';
import { contextMenu, editorSuiteSkip, expandRow, openWorkbench, SHOTS, stepper, treeRow, VSIX } from './workbench';

const EDITOR_SKIP = editorSuiteSkip();

/** VS Code's GitHub session as browsing gets it (read:packages), and the one granting write:packages gives. */
const READ_TOKEN = 'gho_readPackagesSession66666666666666666666';
const WRITE_TOKEN = 'gho_writePackagesSession7777777777777777777';
const GRANT = 'Grant write:packages';

/**
 * A write to ghcr.io with VS Code's read-only GitHub session, in a real VS Code (code-server): the
 * GHCR-style registry double grants a read:packages token pull alone, so the push is refused; the
 * extension then asks, in one modal naming the registry and the scope, whether to ask GitHub for
 * write:packages. The test authentication provider has a write:packages session only once an
 * extension asks to create one (VS Code's own consent comes first), as GitHub's does.
 */
describe(
  'write:packages in a real VS Code: granted when a push to GHCR needs it, never asked while browsing',
  { skip: EDITOR_SKIP, timeout: 300_000 },
  () => {
    let dir: string;
    let ghcr: GhcrServer;
    let reader: OciClient;
    let editor: RunningCodeServer;
    let browser: Browser;
    let page: Page;
    /** Every modal dialog and notification the workbench showed, to prove what was never asked. */
    const seen: string[] = [];
    const step = stepper(() => page, 'write-scope-');
    const row = (level: number, label: string) => treeRow(page, level, label);

    async function pushFolderOf(name: string): Promise<void> {
      // The activity bar's Explorer button closes the sidebar when the Explorer already shows.
      if (!(await page.locator('.explorer-folders-view').isVisible()))
        await page.locator('.activitybar [aria-label^="Explorer"]').first().click();
      const folder = page.locator('.explorer-folders-view .monaco-list-row', { hasText: new RegExp(`^${name}$`) }).first();
      await folder.waitFor();
      const summary = page.locator('.monaco-dialog-box', { hasText: `Push ${name} to` });
      await contextMenu(page, folder, 'Push Folder as OCI Artifact…', () => summary.waitFor({ timeout: 10_000 }));
      await summary.locator('a.monaco-button', { hasText: /^Push$/ }).click();
      await summary.waitFor({ state: 'detached' });
    }

    /** The grant modal, checked for the registry and the scope it names. */
    async function grantPrompt(): Promise<ReturnType<Page['locator']>> {
      const dialog = page.locator('.monaco-dialog-box', { hasText: 'needs the write:packages permission' });
      await dialog.waitFor({ timeout: 60_000 });
      const text = await dialog.innerText();
      assert.match(
        text,
        new RegExp(`Pushing to ${ghcr.host.replace(/\./g, '\\.')} needs the write:packages permission of your GitHub account`),
      );
      assert.equal(await dialog.locator('a.monaco-button', { hasText: GRANT }).count(), 1);
      return dialog;
    }

    before(async () => {
      mkdirSync(SHOTS, { recursive: true });
      dir = mkdtempSync(join(tmpdir(), 'oci-gitops-write-scope-editor-'));
      ghcr = await startGhcrServer(dir, {
        tokens: { [READ_TOKEN]: 'read:packages', [WRITE_TOKEN]: 'write:packages' },
        accessTokenSeconds: 60,
      });
      const credentialsOf = (token: string) =>
        chosenProvider(new GitHubProvider({ tokenSource: { signInHint: '', getToken: async () => ({ token }) } }), ghcr.host);
      const writer = new OciClient({ credentials: credentialsOf(WRITE_TOKEN), settingsFor: () => ({ caFile: ghcr.caFile }) });
      await pushArtifact(writer.repository(parseReference(`${ghcr.host}/octo-org/fleet`)), '1.0.0');
      await writer.close();
      reader = new OciClient({ credentials: credentialsOf(READ_TOKEN), settingsFor: () => ({ caFile: ghcr.caFile }) });
      process.env.OCI_GITOPS_TEST_GITHUB_TOKEN = READ_TOKEN;
      process.env.OCI_GITOPS_TEST_GITHUB_WRITE_TOKEN = WRITE_TOKEN;
      const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  greeting: hello\n';
      editor = await startCodeServer(
        VSIX,
        {
          'ociGitops.dockerConfig.enabled': false,
          // A read:packages token may not list GHCR's catalog: the repository is named, as a user adds it.
          'ociGitops.registries': [{ url: ghcr.host, provider: 'github', caFile: ghcr.caFile, repositories: ['octo-org/fleet'] }],
        },
        {
          'declined/configmap.yaml': configMap,
          'granted/configmap.yaml': configMap,
          '.oci-gitops.yaml': `push:\n  declined:\n    reference: ${ghcr.host}/octo-org/declined:1.0.0\n  granted:\n    reference: ${ghcr.host}/octo-org/granted:1.0.0\n`,
        },
        { extensionFolders: testAuthenticationExtensions(dir) },
      );
      ({ browser, page } = await openWorkbench(editor.url, { width: 1400, height: 1000 }));
      // Modals and notifications come and go; each one's text is kept as it appears.
      await page.exposeFunction('ociGitopsSeen', (text: string) => void seen.push(text));
      await page.evaluate(`(() => {
        const record = (node) => {
          if (!(node instanceof HTMLElement)) return;
          for (const shown of [node, ...node.querySelectorAll('.monaco-dialog-box, .notification-toast')])
            if (shown.matches('.monaco-dialog-box, .notification-toast') && !shown.dataset.ociGitopsSeen) {
              shown.dataset.ociGitopsSeen = 'yes';
              setTimeout(() => window.ociGitopsSeen(shown.innerText), 200);
            }
        };
        new MutationObserver((changes) => changes.forEach((change) => change.addedNodes.forEach(record))).observe(document.body, {
          childList: true,
          subtree: true,
        });
      })()`);
      await page.locator('.activitybar [aria-label^="OCI GitOps"]').first().click();
      await page.locator('.sidebar .title-label', { hasText: 'OCI GitOps' }).first().waitFor();
    });

    after(async () => {
      await browser?.close();
      await editor?.stop();
      await reader?.close();
      await ghcr?.stop();
      delete process.env.OCI_GITOPS_TEST_GITHUB_TOKEN;
      delete process.env.OCI_GITOPS_TEST_GITHUB_WRITE_TOKEN;
      rmSync(dir, { recursive: true, force: true });
    });

    test('browsing with the read-only session lists the registry and never asks for write:packages', async () => {
      const scopesBefore = ghcr.tokenScopes().length;
      await step('sign in to GitHub from the notification and browse a tag', async () => {
        await expandRow(row(1, ghcr.host).first());
        const toast = page.locator('.notification-toast', { hasText: 'GitHub sign-in failed' });
        await toast.waitFor({ timeout: 60_000 });
        await toast.locator('a.monaco-button', { hasText: 'Sign in to GitHub' }).click();
        const dialog = page.locator('.monaco-dialog-box');
        await dialog.waitFor({ timeout: 30_000 });
        await dialog.locator('a.monaco-button', { hasText: /^Allow$/ }).click();
        const repository = row(2, 'octo-org/fleet').first();
        await repository.waitFor({ timeout: 60_000 });
        await expandRow(repository);
        await row(3, '1.0.0').first().waitFor({ timeout: 60_000 });
      });
      assert.ok(seen.length > 0, 'the recorder saw the sign-in notification and dialog');
      assert.ok(!seen.some((text) => text.includes('write:packages')), `browsing showed: ${seen.join(' | ')}`);
      assert.ok(
        ghcr
          .tokenScopes()
          .slice(scopesBefore)
          .every((scopes) => scopes.every((scope) => !scope.includes('push'))),
        'browsing asked the token service for pull only',
      );
    });

    test('declining the grant ends the push with the actionable error, and no tag is written', async () => {
      await step('push the folder declined; the registry refuses the read-only session', () => pushFolderOf('declined'));
      await step('the modal names the registry and the scope; Cancel declines', async () => {
        const dialog = await grantPrompt();
        await page.screenshot({ path: join(SHOTS, 'write-scope-1-grant-prompt.png') });
        await dialog.locator('a.monaco-button', { hasText: 'Cancel' }).click();
        await dialog.waitFor({ state: 'detached' });
      });
      await step('the push fails saying what to do', async () => {
        const toast = page.locator('.notification-toast', { hasText: 'Push of declined failed' });
        await toast.waitFor({ timeout: 60_000 });
        const text = await toast.innerText();
        assert.match(text, /may only read packages/);
        assert.match(text, /Grant write:packages/);
        await toast
          .locator('.codicon-notifications-clear')
          .first()
          .click()
          .catch(() => undefined);
      });
      await assert.rejects(
        reader.repository(parseReference(`${ghcr.host}/octo-org/declined`)).resolve('1.0.0'),
        /MANIFEST_UNKNOWN|NAME_UNKNOWN|not found|unknown/i,
        'no tag was written',
      );
    });

    test('granting write:packages asks VS Code for the scope, then the push completes with the new session', async () => {
      await step('push the folder granted; the registry refuses the read-only session', () => pushFolderOf('granted'));
      await step('grant write:packages, then allow it in VS Code’s own consent', async () => {
        const dialog = await grantPrompt();
        await dialog.locator('a.monaco-button', { hasText: GRANT }).click();
        const consent = page
          .locator('.monaco-dialog-box', { hasText: 'GitHub' })
          .filter({ hasNot: page.getByText('needs the write:packages') });
        await consent.locator('a.monaco-button', { hasText: /^Allow$/ }).click({ timeout: 30_000 });
      });
      await step('the push completes', async () => {
        await page.locator('.notification-toast', { hasText: 'Pushed granted as' }).waitFor({ timeout: 60_000 });
        await page.screenshot({ path: join(SHOTS, 'write-scope-2-pushed.png') });
      });
      const pushed = await reader.repository(parseReference(`${ghcr.host}/octo-org/granted`)).resolve('1.0.0');
      assert.match(pushed.digest, /^sha256:/);
      assert.equal(seen.filter((text) => text.includes('needs the write:packages permission')).length, 2, 'one prompt per refused push');
    });

    test('no token reaches the settings, the logs or the page', async () => {
      const places = await placesTokensMustNotReach(editor.userDataDir, page);
      for (const [where, text] of Object.entries(places)) {
        assert.ok(!text.includes(READ_TOKEN), `the read:packages token is in ${where}`);
        assert.ok(!text.includes(WRITE_TOKEN), `the write:packages token is in ${where}`);
      }
      assert.match(places['the logs'], /lacks write:packages/, 'the logs were read, the refusal among them');
    });
  },
);
