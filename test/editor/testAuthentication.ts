import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

interface TestAccount {
  /** The authentication provider id (`github`, `microsoft`) and the built-in extension that owns it. */
  provider: string;
  builtIn: string;
  label: string;
  login: string;
  /** The environment variable of code-server's process that holds the account's access token. */
  tokenVariable: string;
  /**
   * When this variable is set, the account models GitHub's package scopes: the token above is its
   * read:packages session, and a write:packages session (this variable's token) exists only once
   * an extension asked to create one, as consenting to the scope does on github.com.
   */
  writeTokenVariable?: string;
}

const ACCOUNTS: TestAccount[] = [
  {
    provider: 'github',
    builtIn: 'github-authentication',
    label: 'GitHub',
    login: 'octocat',
    tokenVariable: 'OCI_GITOPS_TEST_GITHUB_TOKEN',
    writeTokenVariable: 'OCI_GITOPS_TEST_GITHUB_WRITE_TOKEN',
  },
  {
    provider: 'microsoft',
    builtIn: 'microsoft-authentication',
    label: 'Microsoft',
    login: 'dev@contoso.example',
    tokenVariable: 'OCI_GITOPS_TEST_MICROSOFT_TOKEN',
  },
];

/**
 * Stand-ins for VS Code's built-in GitHub and Microsoft authentication extensions: same identifiers
 * with a higher version, so code-server (which cannot disable a built-in extension) runs them
 * instead (startCodeServer's extensionFolders). Each registers its provider with one signed-in account whose access token is
 * read from code-server's environment. VS Code still asks the user before another extension may use
 * the account, as it does with the real providers.
 */
export function testAuthenticationExtensions(dir: string): { id: string; version: string; folder: string }[] {
  return ACCOUNTS.map((account) => {
    const folder = join(dir, `test-${account.builtIn}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, 'package.json'),
      JSON.stringify({
        name: account.builtIn,
        displayName: `${account.label} accounts for the OCI GitOps editor tests`,
        publisher: 'vscode',
        version: '99.0.0',
        description: `A ${account.label} authentication provider with one test account`,
        engines: { vscode: '^1.101.0' },
        main: './extension.js',
        activationEvents: ['*', `onAuthenticationRequest:${account.provider}`],
        contributes: { authentication: [{ id: account.provider, label: account.label }] },
      }),
    );
    writeFileSync(
      join(folder, 'extension.js'),
      `const vscode = require('vscode');
exports.activate = (context) => {
  const changed = new vscode.EventEmitter();
  const token = process.env[${JSON.stringify(account.tokenVariable)}];
  const writeToken = ${account.writeTokenVariable ? `process.env[${JSON.stringify(account.writeTokenVariable)}]` : 'undefined'};
  let writeGranted = false;
  const session = (scopes, id = '${account.provider}-session', accessToken = token) => ({ id, accessToken, account: { id: '${account.provider}-account', label: ${JSON.stringify(account.login)} }, scopes: scopes || [] });
  const writeSession = (scopes) => session(scopes || ['write:packages'], '${account.provider}-write-session', writeToken);
  const asksWrite = (scopes) => !!writeToken && (scopes || []).includes('write:packages');
  context.subscriptions.push(
    vscode.authentication.registerAuthenticationProvider(${JSON.stringify(account.provider)}, ${JSON.stringify(account.label)}, {
      onDidChangeSessions: changed.event,
      getSessions: async (scopes) => {
        if (asksWrite(scopes)) return writeGranted ? [writeSession(scopes)] : [];
        return [session(scopes)];
      },
      createSession: async (scopes) => {
        if (!asksWrite(scopes)) return session(scopes);
        writeGranted = true;
        const granted = writeSession(scopes);
        changed.fire({ added: [granted], removed: [], changed: [] });
        return granted;
      },
      removeSession: async () => undefined,
    }),
  );
};
`,
    );
    return { id: `vscode.${account.builtIn}`, version: '99.0.0', folder };
  });
}

/** Every file under a folder, read as text (the editor's logs: the extension's output channel among them). */
function allText(dir: string): string {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .map((path) => (statSync(path).isDirectory() ? allText(path) : readFileSync(path, 'utf8')))
    .join('\n');
}

/** Where an account's token must never show: the user settings, every log of the editor, the workbench page. */
export async function placesTokensMustNotReach(
  userDataDir: string,
  page: Page,
): Promise<{ 'settings.json': string; 'the logs': string; 'the workbench page': string }> {
  return {
    'settings.json': readFileSync(join(userDataDir, 'User', 'settings.json'), 'utf8'),
    'the logs': allText(join(userDataDir, 'logs')),
    'the workbench page': await page.content(),
  };
}
