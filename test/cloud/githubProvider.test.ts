import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { copyArtifact } from '../../src/artifact/copy';
import { GitHubProvider, GITHUB_TOKEN_USERNAME } from '../../src/cloud/github/githubProvider';
import { environmentGitHubTokenSource } from '../../src/cloud/github/githubTokenSource';
import { ProviderError, type RegistryLogin } from '../../src/cloud/provider';
import { OciClient, isOciError, parseReference, type Logger } from '../../src/oci';
import { pushArtifact } from '../integration/fixtures';
import { startGhcrServer, type GhcrServer } from '../support/ghcrServer';
import { chosenProvider, recordingLogger, sleep } from './chosenProvider';

// GHCR takes a GitHub token as the Basic password at its realm on the registry's own host
// (ghcr.io/token) and answers a bearer token per scope; here that flow runs in front of a real
// Distribution (auth: token) whose bearer tokens expire after 2 s.

const READ_TOKEN = 'ghp_readPackagesOnly0000000000000000000000';
const WRITE_TOKEN = 'ghp_writePackages11111111111111111111111111';

describe('GitHub provider: the environment token for ghcr.io', () => {
  test('GITHUB_TOKEN is the password, under the user name oauth2', async () => {
    const login = await new GitHubProvider({ tokenSource: environmentGitHubTokenSource({ GITHUB_TOKEN: WRITE_TOKEN }) }).login('ghcr.io');
    assert.deepEqual(login.credential, { username: GITHUB_TOKEN_USERNAME, password: WRITE_TOKEN });
    assert.equal(login.expiresAt, undefined);
  });

  test('GH_TOKEN is used when GITHUB_TOKEN is not set, and an Actions run presents its actor', async () => {
    const source = environmentGitHubTokenSource({ GH_TOKEN: READ_TOKEN, GITHUB_ACTOR: 'octocat' });
    const login = await new GitHubProvider({ tokenSource: source }).login('ghcr.io');
    assert.deepEqual(login.credential, { username: 'octocat', password: READ_TOKEN });
  });

  test('without a token the error names GitHub, the step and how to set one', async () => {
    await assert.rejects(new GitHubProvider({ tokenSource: environmentGitHubTokenSource({}) }).login('ghcr.io'), (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.provider, 'github');
      assert.equal(error.step, 'credentials');
      assert.match(error.message, /neither GITHUB_TOKEN nor GH_TOKEN is set/);
      assert.match(error.hint, /GITHUB_TOKEN.*read:packages/);
      return true;
    });
  });
});

describe('GitHub provider against a GHCR-style bearer flow in front of Distribution', () => {
  let dir: string;
  let ghcr: GhcrServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oci-gitops-github-'));
    ghcr = await startGhcrServer(dir, {
      tokens: { [READ_TOKEN]: 'read:packages', [WRITE_TOKEN]: 'write:packages' },
      accessTokenSeconds: 2,
    });
  });
  after(async () => {
    await ghcr?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function clientWith(token: string, logins: RegistryLogin[] = [], logger?: Logger): OciClient {
    const provider = new GitHubProvider({ tokenSource: environmentGitHubTokenSource({ GITHUB_TOKEN: token }) });
    return new OciClient({
      credentials: chosenProvider(provider, ghcr.host, logins),
      settingsFor: () => ({ caFile: ghcr.caFile }),
      logger,
    });
  }

  test('a write:packages token pushes, lists tags and copies with a cross-repository mount across token expiry', async () => {
    const logger = recordingLogger();
    const client = clientWith(WRITE_TOKEN, [], logger);
    try {
      const from = client.repository(parseReference(`${ghcr.host}/octo-org/app`));
      const pushed = await pushArtifact(from, 'v1');
      assert.deepEqual((await from.tagPage()).items, ['v1']);
      const to = client.repository(parseReference(`${ghcr.host}/octo-org/mirror`));
      const expiredBefore = ghcr.expiredBearers();
      await from.resolve('v1');
      // Longer than a bearer token lives: the copy starts with tokens the registry no longer takes.
      await sleep(2_100);
      const { result } = await copyArtifact(from, 'v1', to, { tags: ['v1'] });
      assert.equal(result.failures.length, 0, JSON.stringify(result.failures));
      assert.ok(result.blobs.mounted > 0, 'the blobs were mounted from octo-org/app');
      assert.ok(ghcr.expiredBearers() > expiredBefore, 'a token expired during the copy and was replaced');
      assert.equal((await to.resolve('v1')).digest, pushed.digest);
      assert.ok(
        ghcr
          .tokenScopes()
          .some(
            (scopes) =>
              scopes.includes('repository:octo-org/app:pull') && scopes.some((s) => /^repository:octo-org\/mirror:.*push/.test(s)),
          ),
        'one token covered the mount source and the destination',
      );
      assert.ok(ghcr.usernames().every((name) => name === GITHUB_TOKEN_USERNAME));
      assert.ok(!logger.lines.join('\n').includes(WRITE_TOKEN), 'the GitHub token is not in the log');
    } finally {
      await client.close();
    }
  });

  test('a read:packages token pulls but may not push', async () => {
    const writer = clientWith(WRITE_TOKEN);
    const reader = clientWith(READ_TOKEN);
    try {
      const pushed = await pushArtifact(writer.repository(parseReference(`${ghcr.host}/octo-org/readonly`)), 'v1');
      const repo = reader.repository(parseReference(`${ghcr.host}/octo-org/readonly`));
      assert.equal((await repo.resolve('v1')).digest, pushed.digest);
      await assert.rejects(pushArtifact(repo, 'v2'), (error: unknown) => isOciError(error, 'UNAUTHORIZED') || isOciError(error, 'DENIED'));
    } finally {
      await writer.close();
      await reader.close();
    }
  });

  test('a token GHCR refuses gives one message naming GitHub and how to fix the token, without the token', async () => {
    const wrong = 'ghp_revoked22222222222222222222222222222';
    const client = clientWith(wrong);
    try {
      await assert.rejects(client.repository(parseReference(`${ghcr.host}/octo-org/app`)).tagPage(), (error: unknown) => {
        assert.ok(isOciError(error, 'CREDENTIALS'), String(error));
        const { message, hint } = error as Error & { hint?: string };
        assert.match(message, /GitHub/);
        assert.match(hint ?? '', /GITHUB_TOKEN.*read:packages/);
        assert.ok(!message.includes(wrong) && !(hint ?? '').includes(wrong));
        return true;
      });
    } finally {
      await client.close();
    }
  });
});
