import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface TestAccount {
  /** The authentication provider id (`github`, `microsoft`) and the built-in extension that owns it. */
  provider: string;
  builtIn: string;
  label: string;
  login: string;
  /** The environment variable of code-server's process that holds the account's access token. */
  tokenVariable: string;
}

const ACCOUNTS: TestAccount[] = [
  {
    provider: 'github',
    builtIn: 'github-authentication',
    label: 'GitHub',
    login: 'octocat',
    tokenVariable: 'OCI_GITOPS_TEST_GITHUB_TOKEN',
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
  const session = (scopes) => ({ id: '${account.provider}-session', accessToken: token, account: { id: '${account.provider}-account', label: ${JSON.stringify(account.login)} }, scopes: scopes || [] });
  context.subscriptions.push(
    vscode.authentication.registerAuthenticationProvider(${JSON.stringify(account.provider)}, ${JSON.stringify(account.label)}, {
      onDidChangeSessions: changed.event,
      getSessions: async (scopes) => [session(scopes)],
      createSession: async (scopes) => session(scopes),
      removeSession: async () => undefined,
    }),
  );
};
`,
    );
    return { id: `vscode.${account.builtIn}`, version: '99.0.0', folder };
  });
}
