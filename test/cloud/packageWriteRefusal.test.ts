import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { copyArtifact } from '../../src/artifact/copy';
import { pushFolder } from '../../src/artifact/push';
import { GitHubProvider } from '../../src/cloud/github/githubProvider';
import { environmentGitHubTokenSource } from '../../src/cloud/github/githubTokenSource';
import { refusedForPackageWrite } from '../../src/cloud/github/packageWriteRefusal';
import type { ProviderCredentials } from '../../src/cloud/providerCredentials';
import { ChainedCredentials, OciClient, StaticCredentials, parseReference, type OciError } from '../../src/oci';
import { errorFromResponse } from '../../src/oci/errors';
import { pushArtifact } from '../integration/fixtures';
import { startGhcrServer, type GhcrServer } from '../support/ghcrServer';
import { chosenProvider } from './chosenProvider';

// The editor offers to grant write:packages only when a write was refused for that reason; these
// tests pin the decision against the GHCR-style token flow in front of a real Distribution.

const READ_TOKEN = 'ghp_readScopeOnly33333333333333333333333333';
const WRITE_TOKEN = 'ghp_writeScope444444444444444444444444444444';

describe('a write refused for the GitHub login lacking write:packages', () => {
  let dir: string;
  let folder: string;
  let ghcr: GhcrServer;
  const clients: OciClient[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oci-gitops-write-scope-'));
    folder = join(dir, 'deploy');
    mkdirSync(folder);
    writeFileSync(join(folder, 'configmap.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n');
    ghcr = await startGhcrServer(dir, {
      tokens: { [READ_TOKEN]: 'read:packages', [WRITE_TOKEN]: 'write:packages' },
      accessTokenSeconds: 60,
    });
  });
  after(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await ghcr?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function githubClient(token: string): { client: OciClient; credentials: ProviderCredentials } {
    const credentials = chosenProvider(
      new GitHubProvider({ tokenSource: environmentGitHubTokenSource({ GITHUB_TOKEN: token }) }),
      ghcr.host,
    );
    const client = new OciClient({ credentials, settingsFor: () => ({ caFile: ghcr.caFile }) });
    clients.push(client);
    return { client, credentials };
  }

  async function refusal(push: Promise<unknown>): Promise<unknown> {
    return push.then(
      () => assert.fail('the push was not refused'),
      (error: unknown) => error,
    );
  }

  test('a push with a read:packages token is refused for lack of write, and no tag is written', async () => {
    const { client, credentials } = githubClient(READ_TOKEN);
    const error = await refusal(pushFolder(client, folder, parseReference(`${ghcr.host}/octo-org/readonly-push:1.0.0`)));
    assert.equal(credentials.signedInWith(ghcr.host), 'github');
    assert.ok(refusedForPackageWrite(error, ghcr.host, credentials.signedInWith(ghcr.host)), String(error));
    const { client: writer } = githubClient(WRITE_TOKEN);
    await assert.rejects(writer.repository(parseReference(`${ghcr.host}/octo-org/readonly-push`)).resolve('1.0.0'));
  });

  test('a copy into the registry with a read:packages token is refused for lack of write too', async () => {
    const { client: writer } = githubClient(WRITE_TOKEN);
    await pushArtifact(writer.repository(parseReference(`${ghcr.host}/octo-org/source`)), '1.0.0');
    const { client, credentials } = githubClient(READ_TOKEN);
    const from = client.repository(parseReference(`${ghcr.host}/octo-org/source`));
    const to = client.repository(parseReference(`${ghcr.host}/octo-org/copy`));
    const error = await refusal(copyArtifact(from, '1.0.0', to, { tags: ['1.0.0'] }));
    assert.ok(refusedForPackageWrite(error, ghcr.host, credentials.signedInWith(ghcr.host)), String(error));
    await assert.rejects(writer.repository(parseReference(`${ghcr.host}/octo-org/copy`)).resolve('1.0.0'));
  });

  test('the same push with a write:packages token succeeds', async () => {
    const { client } = githubClient(WRITE_TOKEN);
    const result = await pushFolder(client, folder, parseReference(`${ghcr.host}/octo-org/writable:1.0.0`));
    assert.deepEqual(result.tags, ['1.0.0']);
  });

  test('a read with a read:packages token that fails for another reason is not a write refusal', async () => {
    const { client, credentials } = githubClient(READ_TOKEN);
    const error = await refusal(client.repository(parseReference(`${ghcr.host}/octo-org/nothing-here`)).resolve('1.0.0'));
    assert.ok(!refusedForPackageWrite(error, ghcr.host, credentials.signedInWith(ghcr.host)), String(error));
  });

  test('a token the token service refuses outright is a sign-in failure, not a missing scope', async () => {
    const { client, credentials } = githubClient('ghp_revoked55555555555555555555555555555');
    const error = await refusal(pushFolder(client, folder, parseReference(`${ghcr.host}/octo-org/revoked:1.0.0`)));
    assert.equal((error as OciError).code, 'CREDENTIALS');
    assert.ok(!refusedForPackageWrite(error, ghcr.host, credentials.signedInWith(ghcr.host)));
  });

  test('a refusal while a stored password, not a GitHub login, serves the registry is not a write refusal', async () => {
    // The editor's chain: a password stored for the host comes before the cloud sign-in.
    const cloud = chosenProvider(
      new GitHubProvider({ tokenSource: environmentGitHubTokenSource({ GITHUB_TOKEN: WRITE_TOKEN }) }),
      ghcr.host,
    );
    const client = new OciClient({
      credentials: new ChainedCredentials([new StaticCredentials(ghcr.host, { username: 'octocat', password: READ_TOKEN }), cloud]),
      settingsFor: () => ({ caFile: ghcr.caFile }),
    });
    clients.push(client);
    const error = await refusal(pushArtifact(client.repository(parseReference(`${ghcr.host}/octo-org/stored`)), 'v1'));
    assert.equal(cloud.signedInWith(ghcr.host), undefined);
    assert.ok(!refusedForPackageWrite(error, ghcr.host, cloud.signedInWith(ghcr.host)), String(error));
  });

  test('a refused read, such as a package the account cannot see, is not a missing write scope', () => {
    const site = { registry: ghcr.host, repository: 'other-org/private' };
    const read = errorFromResponse(
      403,
      '{"errors":[{"code":"DENIED","message":"denied"}]}',
      { ...site, action: 'fetch manifest 1.0.0' },
      '',
      'GET',
    );
    assert.ok(!refusedForPackageWrite(read, ghcr.host, 'github'));
    const write = errorFromResponse(
      403,
      '{"errors":[{"code":"DENIED","message":"denied"}]}',
      { ...site, action: 'start a blob upload' },
      '',
      'POST',
    );
    assert.ok(refusedForPackageWrite(write, ghcr.host, 'github'));
    // The method is what counts, not the words: an error without one (not a registry's answer) never asks.
    const unknown = errorFromResponse(403, '{"errors":[{"code":"DENIED","message":"denied"}]}', { ...site, action: 'start a blob upload' });
    assert.ok(!refusedForPackageWrite(unknown, ghcr.host, 'github'));
  });

  test('a refusal by another registry, or behind another provider, does not count', () => {
    const body = '{"errors":[{"code":"DENIED","message":"denied"}]}';
    const elsewhere = errorFromResponse(
      403,
      body,
      { registry: 'other.example', repository: 'app', action: 'push manifest 1.0.0' },
      '',
      'PUT',
    );
    assert.ok(!refusedForPackageWrite(elsewhere, ghcr.host, 'github'));
    const here = errorFromResponse(403, body, { registry: ghcr.host, repository: 'app', action: 'push manifest 1.0.0' }, '', 'PUT');
    assert.ok(refusedForPackageWrite(here, ghcr.host, 'github'));
    assert.ok(!refusedForPackageWrite(here, ghcr.host, 'azure'));
  });
});
