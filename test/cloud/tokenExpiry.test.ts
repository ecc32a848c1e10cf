import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CloudProvider } from '../../src/cloud/provider';
import { OciClient, StaticCredentials, parseReference } from '../../src/oci';
import { listAcrossExpiry, providerClient, seedRepositories } from '../support/cloudSignIn';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { RotatingLogins } from '../support/rotatingLogins';

// The OCI client's side of token renewal, with a provider that issues each login straight into the
// registry (the SDK-backed providers are tested the same way in awsProvider and gcpProvider).

const REPOSITORIES = Array.from({ length: 12 }, (_, i) => `team/app-${String(i).padStart(2, '0')}`);

/** A cloud sign-in as the OCI client sees it: each login is a freshly issued token. */
function issuingProvider(logins: RotatingLogins, lifetimeMs: number): CloudProvider & { logins: number } {
  return {
    name: 'aws',
    displayName: 'AWS (Amazon ECR)',
    logins: 0,
    async login() {
      this.logins++;
      return { credential: { username: logins.username, password: logins.issue() }, expiresAt: new Date(Date.now() + lifetimeMs) };
    },
  };
}

describe('a cloud login that expires during an operation is renewed (CNCF Distribution)', () => {
  describe('Basic (htpasswd), as ECR and Artifact Registry take their tokens', () => {
    let registry: RunningRegistry;
    before(async () => {
      registry = await startRegistry({ auth: 'htpasswd' });
      await seedRepositories(registry, REPOSITORIES);
    });
    after(() => registry.stop());

    test('a repository listing across pages completes when the registry stops accepting the token between pages', async () => {
      const logins = new RotatingLogins(registry, 'AWS');
      const provider = issuingProvider(logins, 12 * 3600_000);
      const log: string[] = [];
      const client = providerClient('aws', async () => provider, log);
      const listed = await listAcrossExpiry(client, registry, 3, () => logins.expire());
      await client.close();
      assert.deepEqual(listed, REPOSITORIES);
      assert.equal(provider.logins, 2, 'one sign-in, then one renewal after the refusal');
      for (const token of logins.issued) assert.ok(!log.join('\n').includes(token), 'no token in the log');
    });

    test('a login is renewed before its expiry, without a refused request', async () => {
      const logins = new RotatingLogins(registry, 'AWS');
      const provider = issuingProvider(logins, 1500);
      const client = providerClient('aws', async () => provider);
      const listed = await listAcrossExpiry(client, registry, 3, () => new Promise((resolve) => setTimeout(resolve, 1500)));
      await client.close();
      assert.deepEqual(listed, REPOSITORIES);
      assert.ok(provider.logins >= 2);
    });

    test('a Docker or static login the registry refuses is not retried', async () => {
      const client = new OciClient({ credentials: new StaticCredentials(registry.host, { username: 'AWS', password: 'wrong' }) });
      await assert.rejects(client.repository(parseReference(`${registry.host}/team/app-00`)).tagPage(), /HTTP 401/);
      await client.close();
    });
  });

  describe('Bearer (token server), as ACR and GHCR take theirs', () => {
    let registry: RunningRegistry;
    before(async () => {
      registry = await startRegistry({ auth: 'token', tokenExpirySeconds: 1 });
      await seedRepositories(registry, REPOSITORIES);
    });
    after(() => registry.stop());

    test('a listing completes when the login behind the bearer tokens expired between pages', async () => {
      const logins = new RotatingLogins(registry, 'ci-bot');
      const provider = issuingProvider(logins, 12 * 3600_000);
      const client = providerClient('aws', async () => provider);
      // The registry's own token lasts a second: the next page needs a new one, which the token
      // service refuses for the expired login until the client signs in again.
      const listed = await listAcrossExpiry(client, registry, 3, async () => {
        logins.expire();
        await new Promise((resolve) => setTimeout(resolve, 1100));
      });
      await client.close();
      assert.deepEqual(listed, REPOSITORIES);
      assert.equal(provider.logins, 2);
    });
  });
});
