import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AwsProvider } from '../../src/cloud/aws/awsProvider';
import { ProviderError } from '../../src/cloud/provider';
import { isOciError } from '../../src/oci';
import { AWS_KEYS, awsEnvironment } from '../support/awsEnvironment';
import { listAcrossExpiry, providerClient, seedRepositories } from '../support/cloudSignIn';
import { startEcrEndpoint, type RunningEcrEndpoint } from '../support/ecrEndpoint';
import { withEnv } from '../support/processEnv';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { RotatingLogins } from '../support/rotatingLogins';

// The AWS SDK for JavaScript v3, unmodified, against a loopback ECR: AWS_ENDPOINT_URL_ECR and
// AWS_ENDPOINT_URL_ECR_PUBLIC are the SDK's service-specific endpoint settings (the services'
// ids "ECR" and "ECR PUBLIC"). No request leaves the machine: instance metadata is disabled.

const { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY } = AWS_KEYS;

describe('AWS sign-in through the AWS SDK (loopback ECR, CNCF Distribution)', () => {
  let registry: RunningRegistry;
  let logins: RotatingLogins;
  let ecr: RunningEcrEndpoint;
  let home: string;
  let env: Record<string, string | undefined>;
  const REPOSITORIES = Array.from({ length: 9 }, (_, i) => `team/app-${i}`);
  let configs = 0;

  /** A new shared config file: the SDK caches each file it read by path for the process's life. */
  function sharedConfig(lines: string[]): string {
    const path = join(home, '.aws', `config-${++configs}`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  }

  before(async () => {
    registry = await startRegistry({ auth: 'htpasswd' });
    await seedRepositories(registry, REPOSITORIES);
    logins = new RotatingLogins(registry, 'AWS', 'ecr-token');
    ecr = await startEcrEndpoint({ accessKeyId: ACCESS_KEY, issue: () => logins.issue() });
    home = mkdtempSync(join(tmpdir(), 'oci-gitops-aws-home-'));
    env = awsEnvironment(home, ecr);
  });
  after(async () => {
    await ecr?.stop();
    await registry?.stop();
  });

  test('environment keys sign in: the ECR token is the registry login, with its twelve-hour expiry', async () => {
    await withEnv(env, async () => {
      const login = await new AwsProvider().login(registry.host);
      assert.equal(login.credential.username, 'AWS');
      assert.equal(login.credential.password, logins.issued.at(-1));
      const hours = (login.expiresAt!.getTime() - Date.now()) / 3600_000;
      assert.ok(hours > 11.9 && hours <= 12, `expires in ${hours} h`);
      const call = ecr.calls.at(-1)!;
      assert.equal(call.target, 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken');
      assert.match(call.scope, /^AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-1\/ecr\/aws4_request$/);
    });
  });

  test("an ECR host's region is used, whatever the profile's", async () => {
    await withEnv(env, async () => {
      await new AwsProvider().login('123456789012.dkr.ecr.ap-south-1.amazonaws.com');
      assert.match(ecr.calls.at(-1)!.scope, /\/ap-south-1\/ecr\/aws4_request$/);
    });
  });

  test('public.ecr.aws signs in with ECR Public in us-east-1', async () => {
    await withEnv(env, async () => {
      const login = await new AwsProvider().login('public.ecr.aws');
      assert.equal(login.credential.password, logins.issued.at(-1));
      assert.equal(ecr.calls.at(-1)!.target, 'SpencerFrontendService.GetAuthorizationToken');
      assert.match(ecr.calls.at(-1)!.scope, /\/us-east-1\/ecr-public\/aws4_request$/);
    });
  });

  test('a shared-config profile named by AWS_PROFILE gives the keys and the region', async () => {
    const config = sharedConfig([
      '[profile dev]',
      'region = ca-central-1',
      `aws_access_key_id = ${ACCESS_KEY}`,
      `aws_secret_access_key = ${SECRET_KEY}`,
    ]);
    const profileEnv = {
      ...env,
      AWS_CONFIG_FILE: config,
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_REGION: undefined,
      AWS_PROFILE: 'dev',
    };
    await withEnv(profileEnv, async () => {
      const login = await new AwsProvider().login(registry.host);
      assert.equal(login.credential.password, logins.issued.at(-1));
      assert.match(ecr.calls.at(-1)!.scope, /^AKIAIOSFODNN7EXAMPLE\/\d{8}\/ca-central-1\/ecr\//);
    });
  });

  test('an SSO profile whose session expired says to run aws sso login for that profile', async () => {
    const config = sharedConfig([
      '[profile dev]',
      'sso_start_url = https://example.awsapps.com/start',
      'sso_region = us-east-1',
      'sso_account_id = 123456789012',
      'sso_role_name = ReadOnly',
      'region = eu-west-1',
    ]);
    // No token in ~/.aws/sso/cache: the user never ran `aws sso login`, or its session was cleared.
    await withEnv(
      { ...env, AWS_CONFIG_FILE: config, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_PROFILE: 'dev' },
      async () => {
        await assert.rejects(new AwsProvider().login(registry.host), (error) => {
          assert.ok(error instanceof ProviderError);
          assert.equal(error.step, 'credentials');
          assert.equal(error.message, 'the SSO session for profile dev has expired or is not signed in');
          assert.equal(error.hint, 'Run `aws sso login --profile dev`');
          return true;
        });
      },
    );
  });

  test('no credentials anywhere says how to sign in', async () => {
    await withEnv(
      { ...env, AWS_CONFIG_FILE: sharedConfig([]), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
      async () => {
        await assert.rejects(new AwsProvider().login(registry.host), (error) => {
          assert.ok(error instanceof ProviderError && error.step === 'credentials');
          assert.match(error.message, /^no AWS credentials were found/);
          assert.match(error.hint, /aws configure sso/);
          return true;
        });
      },
    );
  });

  test('ECR refusing expired session keys, or an identity without the permission, names the step and the fix', async () => {
    await withEnv(env, async () => {
      try {
        ecr.fail({ type: 'ExpiredTokenException', message: 'The security token included in the request is expired', status: 400 });
        await assert.rejects(new AwsProvider().login(registry.host), (error) => {
          assert.ok(error instanceof ProviderError);
          assert.equal(error.message, 'the AWS session credentials have expired');
          return true;
        });
        ecr.fail({ type: 'AccessDeniedException', message: 'User is not authorized to perform: ecr:GetAuthorizationToken', status: 400 });
        await assert.rejects(new AwsProvider().login(registry.host), (error) => {
          assert.ok(error instanceof ProviderError && error.step === 'exchange');
          assert.match(error.hint, /ecr:GetAuthorizationToken/);
          return true;
        });
      } finally {
        ecr.fail(undefined);
      }
    });
  });

  test('a listing across pages completes when the ECR token stops working mid-way, and no token reaches the log', async () => {
    await withEnv(env, async () => {
      const log: string[] = [];
      const provider = new AwsProvider();
      const client = providerClient('aws', async () => provider, log);
      const before = ecr.calls.length;
      const listed = await listAcrossExpiry(client, registry, 2, () => logins.expire());
      await client.close();
      assert.deepEqual(listed, REPOSITORIES);
      assert.equal(ecr.calls.length - before, 2, 'one sign-in, and one renewal when the registry refused the expired token');
      for (const secret of [...logins.issued, SECRET_KEY]) assert.ok(!log.join('\n').includes(secret));
    });
  });

  test('the provider failure reaches the OCI client as one message naming AWS', async () => {
    await withEnv({ ...env, AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY000000' }, async () => {
      const client = providerClient('aws', async () => new AwsProvider());
      await assert.rejects(client.registry(registry.host).repositoryPage(), (error) => {
        assert.ok(isOciError(error, 'CREDENTIALS'));
        assert.equal(
          error.message,
          `AWS sign-in failed getting credentials for ${registry.host}: AWS did not recognise the access key or its signature. Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the keys of profile default`,
        );
        return true;
      });
      await client.close();
    });
  });
});
