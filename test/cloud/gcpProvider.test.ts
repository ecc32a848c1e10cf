import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GcpProvider } from '../../src/cloud/gcp/gcpProvider';
import { ProviderError } from '../../src/cloud/provider';
import { isOciError } from '../../src/oci';
import { listAcrossExpiry, providerClient, seedRepositories } from '../support/cloudSignIn';
import { startGoogleEndpoints, type RunningGoogleEndpoints } from '../support/googleEndpoints';
import { WORKLOAD_IDENTITY, googleEnvironment } from '../support/googleEnvironment';
import { withEnv } from '../support/processEnv';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { RotatingLogins } from '../support/rotatingLogins';

// google-auth-library, unmodified, through two of its Application Default Credentials sources that
// can be pointed at loopback: a workload identity federation credentials file (its `token_url`,
// as GitHub Actions' google-github-actions/auth writes one) and the metadata server
// (GCE_METADATA_HOST). A service-account key file cannot be: the library posts its JWT to the
// fixed https://oauth2.googleapis.com/token.

const { subjectToken: SUBJECT_TOKEN, audience: AUDIENCE } = WORKLOAD_IDENTITY;

describe('Google sign-in through google-auth-library (loopback token services, CNCF Distribution)', () => {
  let registry: RunningRegistry;
  let logins: RotatingLogins;
  let google: RunningGoogleEndpoints;
  let env: Record<string, string | undefined>;
  const REPOSITORIES = Array.from({ length: 9 }, (_, i) => `team/app-${i}`);

  before(async () => {
    registry = await startRegistry({ auth: 'htpasswd' });
    await seedRepositories(registry, REPOSITORIES);
    logins = new RotatingLogins(registry, 'oauth2accesstoken', 'ya29.test');
    google = await startGoogleEndpoints({ subjectToken: SUBJECT_TOKEN, issue: () => logins.issue() });
    env = googleEnvironment(mkdtempSync(join(tmpdir(), 'oci-gitops-gcp-')), google);
  });
  after(async () => {
    await google?.stop();
    await registry?.stop();
  });

  test('a workload identity federation credentials file signs in: the access token is the password of oauth2accesstoken', async () => {
    await withEnv(env, async () => {
      const login = await new GcpProvider().login();
      assert.deepEqual(login.credential, { username: 'oauth2accesstoken', password: logins.issued.at(-1) });
      const minutes = (login.expiresAt!.getTime() - Date.now()) / 60_000;
      assert.ok(minutes > 59 && minutes <= 60, `expires in ${minutes} min`);
      const call = google.calls.at(-1)!;
      assert.equal(call.grantType, 'urn:ietf:params:oauth:grant-type:token-exchange');
      assert.equal(call.audience, AUDIENCE);
      assert.equal(call.scope, 'https://www.googleapis.com/auth/cloud-platform');
    });
  });

  test("the metadata server's token serves when there is no credentials file", async () => {
    await withEnv(
      {
        ...env,
        GOOGLE_APPLICATION_CREDENTIALS: undefined,
        GCE_METADATA_HOST: google.metadataHost,
        METADATA_SERVER_DETECTION: 'assume-present',
      },
      async () => {
        const login = await new GcpProvider().login();
        assert.deepEqual(login.credential, { username: 'oauth2accesstoken', password: logins.issued.at(-1) });
        assert.equal(google.calls.at(-1)!.path, '/computeMetadata/v1/instance/service-accounts/default/token');
      },
    );
  });

  test('no Application Default Credentials says to run gcloud auth application-default login', async () => {
    await withEnv({ ...env, GOOGLE_APPLICATION_CREDENTIALS: undefined }, async () => {
      await assert.rejects(new GcpProvider().login(), (error) => {
        assert.ok(error instanceof ProviderError && error.step === 'credentials');
        assert.match(error.message, /^no Application Default Credentials were found/);
        assert.match(error.hint, /gcloud auth application-default login/);
        return true;
      });
    });
  });

  test('a refused grant says to sign in again, and reaches the OCI client as one message naming Google Cloud', async () => {
    await withEnv(env, async () => {
      google.refuse({ error: 'invalid_grant', error_description: 'The subject token has expired.' });
      try {
        const client = providerClient('gcp', async () => new GcpProvider());
        await assert.rejects(client.registry(registry.host).repositoryPage(), (error) => {
          assert.ok(isOciError(error, 'CREDENTIALS'));
          assert.match(
            error.message,
            /^Google Cloud sign-in failed getting credentials for 127\.0\.0\.1:\d+: Google refused the Application Default Credentials \(.*invalid_grant/,
          );
          assert.match(error.message, /Sign in again with `gcloud auth application-default login`/);
          return true;
        });
        await client.close();
      } finally {
        google.refuse(undefined);
      }
    });
  });

  test('a listing across pages completes when the access token stops working mid-way, and no token reaches the log', async () => {
    await withEnv(env, async () => {
      const log: string[] = [];
      const client = providerClient('gcp', async () => new GcpProvider(), log);
      const before = google.calls.length;
      const listed = await listAcrossExpiry(client, registry, 2, () => logins.expire());
      await client.close();
      assert.deepEqual(listed, REPOSITORIES);
      assert.equal(google.calls.length - before, 2, 'one grant, and one more when the registry refused the expired token');
      for (const token of [...logins.issued, SUBJECT_TOKEN]) assert.ok(!log.join('\n').includes(token));
    });
  });
});
