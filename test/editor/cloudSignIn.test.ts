import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { AzureProvider } from '../../src/cloud/azure/azureProvider';
import { GitHubProvider } from '../../src/cloud/github/githubProvider';
import { OciClient, parseReference } from '../../src/oci';
import { chosenProvider } from '../cloud/chosenProvider';
import { pushArtifact } from '../integration/fixtures';
import { startAcrServer, type AcrServer } from '../support/acrServer';
import { startGhcrServer, type GhcrServer } from '../support/ghcrServer';
import { startCodeServer, type RunningCodeServer } from './codeServer';
import { placesTokensMustNotReach, testAuthenticationExtensions } from './testAuthentication';
import { editorSuiteSkip, expandRow, openWorkbench, SHOTS, stepper, treeRow, VSIX } from './workbench';

const EDITOR_SKIP = editorSuiteSkip();

const GITHUB_TOKEN = 'gho_editorSession4444444444444444444444444';
/** An Entra ID access token as VS Code's Microsoft account hands it out: a JWT naming its tenant. */
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const MICROSOFT_TOKEN = [
  Buffer.from('{"typ":"JWT","alg":"RS256"}').toString('base64url'),
  Buffer.from(
    JSON.stringify({ aud: 'https://containerregistry.azure.net', tid: TENANT, exp: Math.floor(Date.now() / 1000) + 3600 }),
  ).toString('base64url'),
  'c2lnbmF0dXJl',
].join('.');

/**
 * Cloud sign-in in a real VS Code (code-server): a GHCR-style and an ACR-style registry, each a
 * real Distribution (auth: token) behind its cloud's token service, named in the user's settings
 * with their provider; the GitHub and Microsoft accounts come from a test authentication provider.
 * Browsing asks the accounts silently, so the first attempt ends in a notification whose button
 * signs in (VS Code asks whether OCI GitOps may use the account); then the tree lists each registry.
 */
describe('cloud sign-in in a real VS Code: GitHub and Microsoft accounts', { skip: EDITOR_SKIP, timeout: 300_000 }, () => {
  let dir: string;
  let ghcr: GhcrServer;
  let acr: AcrServer;
  let editor: RunningCodeServer;
  let browser: Browser;
  let page: Page;
  const step = stepper(() => page, 'cloud-');

  const row = (level: number, label: string) => treeRow(page, level, label);
  const expand = expandRow;

  /** Expands a registry, takes the provider's notification and its sign-in button, allows the account, and waits for the repository. */
  async function signInAndBrowse(host: string, provider: string, button: string, repository: string, tag: string): Promise<void> {
    await expand(row(1, host).first());
    const toast = page.locator('.notification-toast', { hasText: `${provider} sign-in failed` });
    await toast.waitFor({ timeout: 60_000 });
    await toast.locator('a.monaco-button', { hasText: button }).click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    await dialog.locator('a.monaco-button', { hasText: /^Allow$/ }).click();
    const repositoryRow = row(2, repository).first();
    await repositoryRow.waitFor({ timeout: 60_000 });
    await expand(repositoryRow);
    await row(3, tag).first().waitFor({ timeout: 60_000 });
  }

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'oci-gitops-cloud-editor-'));
    [ghcr, acr] = await Promise.all([
      startGhcrServer(dir, { tokens: { [GITHUB_TOKEN]: 'write:packages' }, accessTokenSeconds: 60 }),
      startAcrServer(dir, {
        acceptsEntraToken: (token) => token === MICROSOFT_TOKEN,
        tenantId: TENANT,
        refreshTokenSeconds: 3600,
        accessTokenSeconds: 60,
      }),
    ]);
    const github = new OciClient({
      credentials: chosenProvider(
        new GitHubProvider({ tokenSource: { signInHint: '', getToken: async () => ({ token: GITHUB_TOKEN }) } }),
        ghcr.host,
      ),
      settingsFor: () => ({ caFile: ghcr.caFile }),
    });
    const azure = new OciClient({
      credentials: chosenProvider(
        new AzureProvider({
          tokenSource: { signInHint: '', getToken: async () => ({ token: MICROSOFT_TOKEN }) },
          caFileFor: () => acr.caFile,
        }),
        acr.host,
      ),
      settingsFor: () => ({ caFile: acr.caFile }),
    });
    await pushArtifact(github.repository(parseReference(`${ghcr.host}/octo-org/fleet`)), '1.0.0');
    await pushArtifact(azure.repository(parseReference(`${acr.host}/team/platform`)), '2.0.0');
    await Promise.all([github.close(), azure.close()]);
    // The test extension reads the accounts' tokens from code-server's environment.
    process.env.OCI_GITOPS_TEST_GITHUB_TOKEN = GITHUB_TOKEN;
    process.env.OCI_GITOPS_TEST_MICROSOFT_TOKEN = MICROSOFT_TOKEN;
    editor = await startCodeServer(
      VSIX,
      {
        'ociGitops.dockerConfig.enabled': false,
        'ociGitops.registries': [
          { url: ghcr.host, provider: 'github', caFile: ghcr.caFile },
          { url: acr.host, provider: 'azure', caFile: acr.caFile },
        ],
      },
      {},
      { extensionFolders: testAuthenticationExtensions(dir) },
    );
    ({ browser, page } = await openWorkbench(editor.url, { width: 1400, height: 1000 }));
    await page.locator('.activitybar [aria-label^="OCI GitOps"]').first().click();
    await page.locator('.sidebar .title-label', { hasText: 'OCI GitOps' }).first().waitFor();
  });

  after(async () => {
    await browser?.close();
    await editor?.stop();
    await Promise.all([ghcr?.stop(), acr?.stop()]);
    delete process.env.OCI_GITOPS_TEST_GITHUB_TOKEN;
    delete process.env.OCI_GITOPS_TEST_MICROSOFT_TOKEN;
    rmSync(dir, { recursive: true, force: true });
  });

  test('the tree browses a GHCR-style registry with the GitHub account and an ACR-style one with the Microsoft account', async () => {
    await step('sign in to GitHub from the notification and browse', () =>
      signInAndBrowse(ghcr.host, 'GitHub', 'Sign in to GitHub', 'octo-org/fleet', '1.0.0'),
    );
    assert.ok(ghcr.usernames().includes('octocat'), 'the GitHub account login is the user name');
    await step('sign in to Microsoft from the notification and browse', () =>
      signInAndBrowse(acr.host, 'Azure', 'Sign in to Microsoft', 'team/platform', '2.0.0'),
    );
    assert.deepEqual(acr.exchanges().at(-1), { service: '127.0.0.1', tenant: TENANT });
  });

  test('no token reaches the settings, the logs or the page', async () => {
    const places = await placesTokensMustNotReach(editor.userDataDir, page);
    for (const [where, text] of Object.entries(places)) {
      assert.ok(!text.includes(GITHUB_TOKEN), `the GitHub token is in ${where}`);
      assert.ok(!text.includes(MICROSOFT_TOKEN), `the Microsoft token is in ${where}`);
    }
    assert.match(places['settings.json'], /"provider": "github"/, 'the settings keep the provider by name');
    assert.match(places['the logs'], /GitHub sign-in failed getting credentials/, 'the logs were read, the sign-in failure among them');
  });
});
