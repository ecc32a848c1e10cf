import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startAcrServer, type AcrServer } from '../support/acrServer';
import { startEntraIdServer, type EntraIdServer } from '../support/entraIdServer';
import { startGhcrServer, type GhcrServer } from '../support/ghcrServer';

// The packaged CLI with --provider azure|github (and --from-/--to-provider for copy), run as a user
// runs it: a separate process whose environment holds the service principal or the GitHub token.
// Azure goes through the real @azure/identity chain (EnvironmentCredential, AZURE_AUTHORITY_HOST at
// a loopback tenant whose CA the process trusts through NODE_EXTRA_CA_CERTS), then the ACR
// exchange; GitHub through the GHCR-style realm. Both registries are real Distributions.

const WRITE_TOKEN = 'ghp_cliWritePackages3333333333333333333333';
const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

describe('the CLI signs in through Azure and GitHub (loopback Entra ID, ACR and GHCR, CNCF Distribution)', () => {
  let dir: string;
  let entra: EntraIdServer;
  let acr: AcrServer;
  let ghcr: GhcrServer;
  let folder: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oci-gitops-cli-azure-github-'));
    entra = await startEntraIdServer(dir);
    [acr, ghcr] = await Promise.all([
      startAcrServer(dir, {
        acceptsEntraToken: (token) => entra.issued(token),
        tenantId: entra.tenantId,
        refreshTokenSeconds: 600,
        accessTokenSeconds: 60,
      }),
      startGhcrServer(dir, { tokens: { [WRITE_TOKEN]: 'write:packages' }, accessTokenSeconds: 60 }),
    ]);
    writeFileSync(join(dir, 'entra-ca.pem'), entra.ca);
    folder = join(dir, 'manifests');
    mkdirSync(folder);
    writeFileSync(join(folder, 'deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n');
    env = {
      PATH: process.env.PATH,
      HOME: dir,
      DOCKER_CONFIG: join(dir, 'no-docker'),
      NODE_EXTRA_CA_CERTS: join(dir, 'entra-ca.pem'),
      AZURE_TENANT_ID: entra.tenantId,
      AZURE_CLIENT_ID: entra.clientId,
      AZURE_CLIENT_SECRET: entra.clientSecret,
      AZURE_AUTHORITY_HOST: entra.authorityHost,
      GITHUB_TOKEN: WRITE_TOKEN,
    };
  });
  after(async () => {
    await Promise.all([acr?.stop(), ghcr?.stop(), entra?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  function run(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], { env: { ...env, ...extra }, timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  function assertNoSecret(output: string): void {
    for (const secret of [WRITE_TOKEN, entra.clientSecret]) assert.ok(!output.includes(secret), 'a secret reached the output');
    assert.ok(!/eyJ[\w-]+\.[\w-]+/.test(output), 'no token of any kind in the output');
  }

  test('push and tags --provider github sign in with GITHUB_TOKEN', async () => {
    const pushed = await run(['push', folder, `${ghcr.host}/octo-org/app:1.0.0`, '--provider', 'github', '--ca-file', ghcr.caFile]);
    assert.equal(pushed.code, 0, pushed.stderr);
    const listed = await run(['tags', `${ghcr.host}/octo-org/app`, '--provider', 'github', '--ca-file', ghcr.caFile]);
    assert.equal(listed.stdout, '1.0.0\n', listed.stderr);
    assertNoSecret(pushed.stdout + pushed.stderr + listed.stdout + listed.stderr);
  });

  test('push and tags --provider azure sign in with the service principal through Entra ID and the ACR exchange', async () => {
    const pushed = await run(['push', folder, `${acr.host}/team/app:2.0.0`, '--provider', 'azure', '--ca-file', acr.caFile]);
    assert.equal(pushed.code, 0, pushed.stderr);
    const listed = await run(['tags', `${acr.host}/team/app`, '--provider', 'azure', '--ca-file', acr.caFile]);
    assert.equal(listed.stdout, '2.0.0\n', listed.stderr);
    assert.ok(acr.exchanges().length >= 2, 'each run exchanged its Entra ID token');
    assertNoSecret(pushed.stdout + pushed.stderr + listed.stdout + listed.stderr);
  });

  test('copy --from-provider github --to-provider azure copies from GHCR to ACR', async () => {
    const result = await run([
      'copy',
      `${ghcr.host}/octo-org/app:1.0.0`,
      `${acr.host}/mirror/app`,
      '--from-provider',
      'github',
      '--from-ca-file',
      ghcr.caFile,
      '--to-provider',
      'azure',
      '--to-ca-file',
      acr.caFile,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const listed = await run(['tags', `${acr.host}/mirror/app`, '--provider', 'azure', '--ca-file', acr.caFile]);
    assert.equal(listed.stdout, '1.0.0\n', listed.stderr);
    assertNoSecret(result.stdout + result.stderr);
  });

  test('without GITHUB_TOKEN the one-line error names GitHub and says how to set a token', async () => {
    const result = await run(['tags', `${ghcr.host}/octo-org/app`, '--provider', 'github', '--ca-file', ghcr.caFile], {
      GITHUB_TOKEN: undefined,
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^oci-gitops: GitHub sign-in failed getting credentials for 127\.0\.0\.1:\d+: No GitHub token/);
    assert.match(result.stderr, /Set GITHUB_TOKEN \(or GH_TOKEN\) to a token with read:packages/);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  });

  test('a wrong client secret gives one message naming Azure and `az login`, without the secret', async () => {
    const wrong = `wrong-${entra.clientSecret}`;
    const result = await run(['tags', `${acr.host}/team/app`, '--provider', 'azure', '--ca-file', acr.caFile], {
      AZURE_CLIENT_SECRET: wrong,
    });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^oci-gitops: Azure sign-in failed getting credentials for 127\.0\.0\.1:\d+: Could not get an Entra ID token/,
    );
    assert.match(result.stderr, /AADSTS7000215: Invalid client secret provided/);
    assert.match(result.stderr, /az login/);
    assert.ok(!result.stderr.includes(wrong));
  });
});
