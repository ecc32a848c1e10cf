import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { dockerThenCloud } from '../../src/cli/clientFromOptions';
import { OciClient, StaticCredentials, parseReference } from '../../src/oci';
import { pushArtifact } from '../integration/fixtures';
import { AWS_KEYS, awsEnvironment } from '../support/awsEnvironment';
import { cli } from '../support/cli';
import { startEcrEndpoint, type RunningEcrEndpoint } from '../support/ecrEndpoint';
import { FaultProxy } from '../support/faultProxy';
import { startGoogleEndpoints, type RunningGoogleEndpoints } from '../support/googleEndpoints';
import { WORKLOAD_IDENTITY, googleEnvironment } from '../support/googleEnvironment';
import { withEnv } from '../support/processEnv';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { RotatingLogins } from '../support/rotatingLogins';

// The CLI with --provider, --from-provider and --to-provider: the real AWS SDK and
// google-auth-library against loopback token services (see awsProvider.test.ts and
// gcpProvider.test.ts), their tokens used on two Distributions whose passwords rotate.

const { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY } = AWS_KEYS;
const { subjectToken: SUBJECT_TOKEN } = WORKLOAD_IDENTITY;

describe('the CLI signs in through AWS and Google (loopback token services, CNCF Distribution)', () => {
  let ecrRegistry: RunningRegistry;
  let garRegistry: RunningRegistry;
  let awsLogins: RotatingLogins;
  let googleLogins: RotatingLogins;
  let ecr: RunningEcrEndpoint;
  let google: RunningGoogleEndpoints;
  let env: Record<string, string | undefined>;
  let folder: string;

  before(async () => {
    [ecrRegistry, garRegistry] = await Promise.all([startRegistry({ auth: 'htpasswd' }), startRegistry({ auth: 'htpasswd' })]);
    const seeding = new OciClient({ credentials: new StaticCredentials(ecrRegistry.host, ecrRegistry.admin) });
    for (const tag of ['1.0.0', '1.1.0']) {
      await pushArtifact(seeding.repository(parseReference(`${ecrRegistry.host}/team/app`)), tag, { files: { 'app.yaml': `v: ${tag}\n` } });
    }
    await seeding.close();
    awsLogins = new RotatingLogins(ecrRegistry, 'AWS', 'ecr-token');
    googleLogins = new RotatingLogins(garRegistry, 'oauth2accesstoken', 'ya29.test');
    ecr = await startEcrEndpoint({ accessKeyId: ACCESS_KEY, issue: () => awsLogins.issue() });
    google = await startGoogleEndpoints({ subjectToken: SUBJECT_TOKEN, issue: () => googleLogins.issue() });
    const dir = mkdtempSync(join(tmpdir(), 'oci-gitops-cli-cloud-'));
    env = { ...awsEnvironment(dir, ecr), ...googleEnvironment(dir, google) };
    writeFileSync(join(dir, '.aws', 'config'), '');
    folder = join(dir, 'manifests');
    mkdirSync(folder);
    writeFileSync(join(folder, 'deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n');
  });
  after(async () => {
    await Promise.all([ecr?.stop(), google?.stop(), ecrRegistry?.stop(), garRegistry?.stop()]);
  });

  /** Runs the CLI in-process; the cloud SDKs read process.env, so it is set for the run. */
  function run(args: string[], extra: Record<string, string | undefined> = {}) {
    return withEnv({ ...env, ...extra }, () => cli(args, { ...process.env, DOCKER_CONFIG: join(env.HOME!, 'no-docker') }));
  }

  function assertNoSecret(output: string): void {
    for (const secret of [...awsLogins.issued, ...googleLogins.issued, SECRET_KEY, SUBJECT_TOKEN]) {
      assert.ok(!output.includes(secret), 'a secret reached the output');
    }
  }

  test('tags --provider aws lists with an ECR token', async () => {
    const result = await run(['tags', `${ecrRegistry.host}/team/app`, '--provider', 'aws']);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    assert.deepEqual(result.stdout.trim().split('\n').sort(), ['1.0.0', '1.1.0']);
    assertNoSecret(result.stdout + result.stderr);
  });

  test('push --provider gcp pushes with a Google access token', async () => {
    const result = await run(['push', folder, `${garRegistry.host}/team/pushed:1.0.0`, '--provider', 'gcp']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^${garRegistry.host.replace(/\./g, '\\.')}/team/pushed@sha256:[0-9a-f]{64}\\n$`));
    const listed = await run(['tags', `${garRegistry.host}/team/pushed`, '--provider', 'gcp']);
    assert.equal(listed.stdout, '1.0.0\n');
    assertNoSecret(result.stdout + result.stderr);
  });

  test('copy --from-provider aws --to-provider gcp completes although both tokens expire during the copy', async () => {
    // Proxies in front of both registries make each side's token stop working at its first blob
    // request, as a cloud token expiring mid-copy would.
    let sourceExpired = false;
    let destinationExpired = false;
    const source = await new FaultProxy(ecrRegistry.host, (req) => {
      if (!sourceExpired && req.method === 'GET' && /\/blobs\/sha256:/.test(req.url ?? '')) {
        sourceExpired = true;
        awsLogins.expire();
      }
      return 'pass';
    }).start();
    const destination = await new FaultProxy(garRegistry.host, (req) => {
      if (!destinationExpired && req.method === 'POST' && /\/blobs\/uploads\//.test(req.url ?? '')) {
        destinationExpired = true;
        googleLogins.expire();
      }
      return 'pass';
    }).start();
    try {
      const awsBefore = ecr.calls.length;
      const googleBefore = google.calls.length;
      const result = await run([
        'copy',
        `${source.host}/team/app:1.1.0`,
        `${destination.host}/team/app`,
        '--from-provider',
        'aws',
        '--to-provider',
        'gcp',
      ]);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(sourceExpired && destinationExpired, 'both tokens were expired during the copy');
      assert.equal(ecr.calls.length - awsBefore, 2, 'AWS: one sign-in and one renewal');
      assert.equal(google.calls.length - googleBefore, 2, 'Google: one sign-in and one renewal');
      const copied = await run(['tags', `${garRegistry.host}/team/app`, '--provider', 'gcp']);
      assert.equal(copied.stdout, '1.1.0\n');
      assertNoSecret(result.stdout + result.stderr);
    } finally {
      await source.stop();
      await destination.stop();
    }
  });

  test('a key AWS does not know gives one message naming AWS and the fix, and no secret', async () => {
    const result = await run(['tags', `${ecrRegistry.host}/team/app`, '--provider', 'aws'], { AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY000000' });
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr.trim(),
      `oci-gitops: AWS sign-in failed getting credentials for ${ecrRegistry.host}: AWS did not recognise the access key or its signature. Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the keys of profile default`,
    );
    assertNoSecret(result.stdout + result.stderr);
  });

  test('an expired Google grant gives one message naming Google Cloud and the fix', async () => {
    google.refuse({ error: 'invalid_grant', error_description: 'The subject token has expired.' });
    try {
      const result = await run(['tags', `${garRegistry.host}/team/pushed`, '--provider', 'gcp']);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^oci-gitops: Google Cloud sign-in failed getting credentials for 127\.0\.0\.1:\d+: Google refused/);
      assert.match(result.stderr, /Sign in again with `gcloud auth application-default login`/);
      assert.equal(result.stderr.trim().split('\n').length, 1);
      assertNoSecret(result.stdout + result.stderr);
    } finally {
      google.refuse(undefined);
    }
  });

  test('--provider takes only the known providers, and not with --username', async () => {
    const unknown = await run(['tags', `${ecrRegistry.host}/team/app`, '--provider', 'oracle']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--provider takes aws, azure, gcp, github \(not "oracle"\)/);
    const both = await run(['tags', `${ecrRegistry.host}/team/app`, '--provider', 'aws', '--username', 'AWS', '--password-stdin']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--provider signs in through the cloud: give either it or --username/);
  });

  describe('without --provider, a recognised host is signed in to after the Docker config', () => {
    const ECR_HOST = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com';

    function credentialsWith(dockerAuths: Record<string, { auth: string }>) {
      const dir = mkdtempSync(join(tmpdir(), 'oci-gitops-docker-'));
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: dockerAuths }));
      const stderr = new PassThrough();
      let warned = '';
      stderr.on('data', (chunk: Buffer) => (warned += chunk.toString()));
      const credentials = dockerThenCloud(join(dir, 'config.json'), {
        stdout: new PassThrough(),
        stderr,
        stdin: Readable.from([]),
        env: process.env,
      });
      return { credentials, warned: () => warned };
    }

    test("the Docker config's login for the host wins, and no cloud is asked", async () => {
      const before = ecr.calls.length;
      const { credentials } = credentialsWith({ [ECR_HOST]: { auth: Buffer.from('AWS:from-docker').toString('base64') } });
      const credential = await withEnv(env, () => credentials.get(ECR_HOST));
      assert.deepEqual(credential, { username: 'AWS', password: 'from-docker' });
      assert.equal(ecr.calls.length, before);
    });

    test("with nothing in the Docker config, the host's cloud signs in, in the host's region", async () => {
      const { credentials } = credentialsWith({});
      const credential = await withEnv(env, () => credentials.get(ECR_HOST));
      assert.deepEqual(credential, { username: 'AWS', password: awsLogins.issued.at(-1) });
      assert.match(ecr.calls.at(-1)!.scope, /\/ap-northeast-1\/ecr\/aws4_request$/);
      assert.equal(await withEnv(env, () => credentials.get(ecrRegistry.host)), undefined, 'a loopback host is no cloud registry');
    });

    test('a recognised cloud whose sign-in fails warns with the fix and leaves the registry anonymous', async () => {
      const { credentials, warned } = credentialsWith({});
      const credential = await withEnv({ ...env, GOOGLE_APPLICATION_CREDENTIALS: undefined }, () =>
        credentials.get('europe-west4-docker.pkg.dev'),
      );
      assert.equal(credential, undefined);
      assert.equal(
        warned(),
        'oci-gitops: warning: Google Cloud sign-in failed getting credentials for europe-west4-docker.pkg.dev: no Application Default Credentials were found (GOOGLE_APPLICATION_CREDENTIALS, gcloud application-default login, metadata server). Run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a credentials file (trying europe-west4-docker.pkg.dev without a cloud sign-in)\n',
      );
    });
  });
});
