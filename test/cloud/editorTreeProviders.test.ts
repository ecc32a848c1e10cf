// The editor's Registries view on an Amazon ECR and a Google Artifact Registry, as the user sets
// them up: `provider: aws` / `provider: gcp` on an entry of their own ociGitops.registries. The
// editor layer runs in-process against test/support/fakeVscode.ts (as test/bundle/lazyLoading.test.ts
// runs the bundle) with its real services (src/vscode/services.ts: stored password → cloud sign-in →
// Docker) and its real tree; the AWS SDK and google-auth-library are unmodified, reaching loopback
// doubles of ECR's GetAuthorizationToken and Google's STS, and what they issue is the password of a
// real Distribution, which stops accepting it half-way through the browse.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Logger } from '../../src/oci';
import type { Services } from '../../src/vscode/services';
import type { TreeNode } from '../../src/vscode/tree/nodes';
import { AWS_KEYS, awsEnvironment } from '../support/awsEnvironment';
import { seedRepositories } from '../support/cloudSignIn';
import { startEcrEndpoint, type RunningEcrEndpoint } from '../support/ecrEndpoint';
import { fake, window, workspace } from '../support/fakeVscode';
import { startGoogleEndpoints, type RunningGoogleEndpoints } from '../support/googleEndpoints';
import { WORKLOAD_IDENTITY, googleEnvironment } from '../support/googleEnvironment';
import { serveFakeVscode } from '../support/moduleHooks';
import { withEnv } from '../support/processEnv';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { RotatingLogins } from '../support/rotatingLogins';

type CreateServices = (app: { extension: unknown; log: unknown; logger: Logger; problems: unknown; view: unknown }) => Services;

const { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY } = AWS_KEYS;
const { subjectToken: SUBJECT_TOKEN } = WORKLOAD_IDENTITY;
const REPOSITORIES = ['team/api', 'team/web', 'team/worker'];

describe('the Registries view browses ECR and Google registries signed in through the cloud SDKs, across a token expiry', () => {
  let ecrRegistry: RunningRegistry;
  let garRegistry: RunningRegistry;
  let awsLogins: RotatingLogins;
  let googleLogins: RotatingLogins;
  let ecr: RunningEcrEndpoint;
  let google: RunningGoogleEndpoints;
  let env: Record<string, string | undefined>;
  let services: Services;
  const subscriptions: { dispose(): unknown }[] = [];
  /** What the extension put in SecretStorage: cloud tokens live in memory only. */
  const stored = new Map<string, string>();
  /** The user's settings (ociGitops.*), as VS Code's configuration holds them. */
  const userSettings: Record<string, unknown> = {};

  before(async () => {
    [ecrRegistry, garRegistry] = await Promise.all([startRegistry({ auth: 'htpasswd' }), startRegistry({ auth: 'htpasswd' })]);
    await Promise.all([seedRepositories(ecrRegistry, REPOSITORIES), seedRepositories(garRegistry, REPOSITORIES)]);
    awsLogins = new RotatingLogins(ecrRegistry, 'AWS', 'ecr-token');
    googleLogins = new RotatingLogins(garRegistry, 'oauth2accesstoken', 'ya29.test');
    ecr = await startEcrEndpoint({ accessKeyId: ACCESS_KEY, issue: () => awsLogins.issue() });
    google = await startGoogleEndpoints({ subjectToken: SUBJECT_TOKEN, issue: () => googleLogins.issue() });

    const home = mkdtempSync(join(tmpdir(), 'oci-gitops-editor-clouds-'));
    // What the extension host inherits from the user's shell: AWS keys and a Google ADC file, and
    // nothing that could reach a real cloud (no instance or GCE metadata, no Docker config).
    env = { ...awsEnvironment(home, ecr), ...googleEnvironment(home, google), DOCKER_CONFIG: join(home, '.docker') };

    Object.assign(userSettings, {
      registries: [
        { url: ecrRegistry.host, label: 'ECR', provider: 'aws' },
        { url: garRegistry.host, label: 'Artifact Registry', provider: 'gcp' },
      ],
      'dockerConfig.enabled': false,
      // Two repositories a page: the browse takes the catalog's second page with "Load More".
      pageSize: 2,
    });
    Object.assign(workspace, {
      getConfiguration: (section: string) => ({
        get: <T>(key: string, fallback?: T) => (section === 'ociGitops' && key in userSettings ? (userSettings[key] as T) : fallback),
        inspect: (key: string) => ({ key, globalValue: section === 'ociGitops' ? userSettings[key] : undefined }),
        update: async (key: string, value: unknown) => void (userSettings[key] = value),
      }),
    });

    serveFakeVscode();
    const load = createRequire(__filename);
    const { createLog } = load('../../src/vscode/log.js') as { createLog(): { channel: unknown; logger: Logger } };
    const { createServices } = load('../../src/vscode/services.js') as { createServices: CreateServices };
    const { channel, logger } = createLog();
    services = createServices({
      extension: {
        subscriptions,
        secrets: {
          get: async (key: string) => stored.get(key),
          store: async (key: string, value: string) => void stored.set(key, value),
          delete: async (key: string) => void stored.delete(key),
        },
        extension: { packageJSON: { version: '0.0.0-test' } },
      },
      log: channel,
      logger,
      problems: {},
      view: window.createTreeView(),
    });
  });
  after(async () => {
    for (const subscription of subscriptions) await subscription.dispose();
    await Promise.all([ecr?.stop(), google?.stop(), ecrRegistry?.stop(), garRegistry?.stop()]);
  });

  const label = (node: TreeNode) => String(services.tree.getTreeItem(node).label);

  /**
   * As a user expands the view: the registry, its first page of repositories, then — after the
   * cloud token stopped working — "Load More" and a repository's tags.
   */
  async function browse(registryLabel: string, expire: () => void): Promise<{ repositories: string[]; tags: string[] }> {
    const roots = await services.tree.getChildren();
    const registry = roots.find((node) => label(node) === registryLabel);
    assert.ok(registry, `${registryLabel} is in the view (${roots.map(label).join(', ')})`);
    const firstPage = await services.tree.getChildren(registry);
    assert.deepEqual(firstPage.map(label), ['team/api', 'team/web', 'Load more…']);
    expire();
    const loadMore = firstPage.at(-1)!;
    assert.equal(loadMore.kind, 'loadMore');
    await services.tree.loadMore(loadMore as Parameters<Services['tree']['loadMore']>[0]);
    const repositories = await services.tree.getChildren(registry);
    const worker = repositories.find((node) => label(node) === 'team/worker');
    assert.ok(worker, `team/worker is listed (${repositories.map(label).join(', ')})`);
    const tags = await services.tree.getChildren(worker);
    return { repositories: repositories.map(label), tags: tags.map(label) };
  }

  /** Every secret of the test: none may reach the log channel, the settings or SecretStorage. */
  function assertNoSecretShown(): void {
    assert.ok(fake.log.length > 0, 'the log channel logged the browse');
    const shown = `${fake.log.join('\n')}\n${JSON.stringify(userSettings)}\n${JSON.stringify([...stored])}`;
    for (const secret of [...awsLogins.issued, ...googleLogins.issued, SECRET_KEY, SUBJECT_TOKEN])
      assert.ok(!shown.includes(secret), `a secret (${secret.slice(0, 8)}…) was shown`);
  }

  test('provider: aws — the tree lists repositories and tags with ECR tokens, signing in again when the first stops working', async () => {
    await withEnv(env, async () => {
      const before = ecr.calls.length;
      const browsed = await browse('ECR', () => awsLogins.expire());
      assert.deepEqual(browsed, { repositories: REPOSITORIES, tags: ['1.0.0'] });
      const calls = ecr.calls.slice(before);
      assert.equal(calls.length, 2, 'one sign-in, and one more once the registry refused the expired token');
      for (const call of calls) {
        assert.equal(call.target, 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken');
        assert.match(call.scope, /^AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-1\/ecr\/aws4_request$/);
      }
      assert.equal(awsLogins.issued.length, 2);
      assertNoSecretShown();
    });
  });

  test('provider: gcp — the tree lists repositories and tags with Google access tokens, granted again when the first stops working', async () => {
    await withEnv(env, async () => {
      const before = google.calls.length;
      const browsed = await browse('Artifact Registry', () => googleLogins.expire());
      assert.deepEqual(browsed, { repositories: REPOSITORIES, tags: ['1.0.0'] });
      const calls = google.calls.slice(before);
      assert.equal(calls.length, 2, 'one grant, and one more once the registry refused the expired token');
      for (const call of calls) assert.equal(call.grantType, 'urn:ietf:params:oauth:grant-type:token-exchange');
      assert.equal(googleLogins.issued.length, 2);
      assertNoSecretShown();
    });
  });
});
