import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ClientSecretCredential, DefaultAzureCredential } from '@azure/identity';
import { copyArtifact } from '../../src/artifact/copy';
import { AzureProvider, ACR_TOKEN_USERNAME } from '../../src/cloud/azure/azureProvider';
import { credentialTokenSource, defaultAzureTokenSource } from '../../src/cloud/azure/entraTokenSource';
import { ProviderError, type RegistryLogin } from '../../src/cloud/provider';
import { OciClient, parseReference, type Logger } from '../../src/oci';
import { startAcrServer, type AcrServer } from '../support/acrServer';
import { startEntraIdServer, type EntraIdServer } from '../support/entraIdServer';
import { pushArtifact } from '../integration/fixtures';
import { chosenProvider, recordingLogger, sleep } from './chosenProvider';

// The Azure provider through the real @azure/identity SDK against a loopback Entra ID tenant, and
// the ACR token flow of Azure/acr docs/AAD-OAuth.md in front of a real Distribution (auth: token).
// Flux requests the same audience (fluxcd/pkg auth/azure/provider.go) and sends the refresh token
// as ACR's documented user 00000000-0000-0000-0000-000000000000.

describe('Azure provider: Entra ID through @azure/identity, then the ACR exchange, against Distribution', () => {
  let dir: string;
  let entra: EntraIdServer;
  let acr: AcrServer;
  const saved = { ...process.env };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oci-gitops-azure-'));
    entra = await startEntraIdServer(dir);
    acr = await startAcrServer(dir, {
      acceptsEntraToken: (token) => entra.issued(token),
      tenantId: entra.tenantId,
      refreshTokenSeconds: 4,
      accessTokenSeconds: 2,
    });
    // DefaultAzureCredential's first link, EnvironmentCredential, reads the service principal here.
    Object.assign(process.env, {
      AZURE_TENANT_ID: entra.tenantId,
      AZURE_CLIENT_ID: entra.clientId,
      AZURE_CLIENT_SECRET: entra.clientSecret,
      AZURE_AUTHORITY_HOST: entra.authorityHost,
    });
  });
  after(async () => {
    process.env = saved;
    await acr?.stop();
    await entra?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The provider as the CLI builds it: the standard Azure chain, here reading the environment. */
  function cliProvider(): AzureProvider {
    return new AzureProvider({
      tokenSource: defaultAzureTokenSource({ tlsOptions: { ca: entra.ca } }),
      caFileFor: (registry) => (registry === acr.host ? acr.caFile : undefined),
    });
  }

  function clientFor(provider: AzureProvider, logins: RegistryLogin[] = [], logger?: Logger): OciClient {
    return new OciClient({ credentials: chosenProvider(provider, acr.host, logins), settingsFor: () => ({ caFile: acr.caFile }), logger });
  }

  test('the standard chain asks Entra ID for the ACR audience and the exchange yields a refresh token for the registry', async () => {
    const login = await cliProvider().login(acr.host);
    assert.ok(
      entra.scopesAsked().includes('https://containerregistry.azure.net/.default'),
      `scopes asked: ${entra.scopesAsked().join(', ')}`,
    );
    assert.deepEqual(acr.exchanges().at(-1), { service: '127.0.0.1', tenant: entra.tenantId });
    assert.equal(login.credential.username, ACR_TOKEN_USERNAME);
    assert.ok(login.credential.identityToken, 'the ACR refresh token is the identity token');
    assert.equal(login.credential.password, undefined);
    const left = login.expiresAt!.getTime() - Date.now();
    assert.ok(left > 0 && left <= 4_000, `the expiry comes from the refresh token's exp (${left} ms left)`);
  });

  test('a paged catalog listing completes while its access and refresh tokens expire under it, and nothing secret is logged', async () => {
    const logins: RegistryLogin[] = [];
    const logger = recordingLogger();
    const client = clientFor(cliProvider(), logins, logger);
    try {
      const names = await seedRepositories(client, 12);
      const expiredBefore = acr.expiredBearers();
      const listed: string[] = [];
      // A reader slower than the tokens: 12 pages, 500 ms apart, outlive 2 s access and 4 s refresh tokens (a JWT's whole-second exp leaves 1 to 2 s and 3 to 4 s).
      for await (const name of client.registry(acr.host).repositories({ pageSize: 1 })) {
        listed.push(name);
        await sleep(500);
      }
      assert.deepEqual(
        listed.filter((name) => name.startsWith('paged/')),
        names,
      );
      assert.ok(acr.expiredBearers() > expiredBefore, 'an access token expired during the listing and was replaced');
      assert.ok(logins.length >= 2, `the refresh token was renewed before it expired (${logins.length} logins)`);
      assert.equal(acr.expiredRefreshTokens(), 0, 'no expired refresh token was ever presented');
      const log = logger.lines.join('\n');
      for (const login of logins) assert.ok(!log.includes(login.credential.identityToken!), 'no refresh token in the log');
      assert.ok(!log.includes(entra.clientSecret), 'no client secret in the log');
      assert.ok(!/eyJ[\w-]+\.[\w-]+/.test(log), 'no JWT of any kind in the log');
    } finally {
      await client.close();
    }
  });

  /** `count` repositories: one pushed through the API, the others copies of its storage (Distribution 2.8 pages only the catalog). */
  async function seedRepositories(client: OciClient, count: number): Promise<string[]> {
    const names = Array.from({ length: count }, (_, i) => `paged/app-${String(i).padStart(2, '0')}`);
    await pushArtifact(client.repository(parseReference(`${acr.host}/${names[0]}`)), 'v1');
    const repositories = join(acr.registry.dataDir, 'docker', 'registry', 'v2', 'repositories');
    for (const name of names.slice(1)) cpSync(join(repositories, names[0]), join(repositories, name), { recursive: true });
    return names;
  }

  test('a copy that mounts across repositories asks for both scopes and completes after its token expired between plan and copy', async () => {
    const client = clientFor(cliProvider());
    try {
      const source = client.repository(parseReference(`${acr.host}/team/source`));
      await pushArtifact(source, 'v1');
      const from = client.repository(parseReference(`${acr.host}/team/source`));
      const to = client.repository(parseReference(`${acr.host}/team/mirror`));
      const expiredBefore = acr.expiredBearers();
      await from.resolve('v1');
      await sleep(2_100);
      const { result } = await copyArtifact(from, 'v1', to, { tags: ['v1'] });
      assert.equal(result.failures.length, 0, JSON.stringify(result.failures));
      assert.ok(result.blobs.mounted > 0, 'the blobs were mounted, not uploaded again');
      assert.ok(acr.expiredBearers() > expiredBefore, 'a token expired during the copy and was replaced');
      assert.ok(
        acr
          .tokenScopes()
          .some(
            (scopes) => scopes.includes('repository:team/source:pull') && scopes.some((s) => /^repository:team\/mirror:.*push/.test(s)),
          ),
        `one token covered the mount's source and destination: ${JSON.stringify(acr.tokenScopes())}`,
      );
      assert.equal((await to.resolve('v1')).digest, (await from.resolve('v1')).digest);
    } finally {
      await client.close();
    }
  });

  test('a wrong client secret fails at the credentials step, naming Azure and `az login`, without the secret', async () => {
    const wrong = `wrong-${entra.clientSecret}`;
    const credential = new ClientSecretCredential(entra.tenantId, entra.clientId, wrong, {
      authorityHost: entra.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: entra.ca },
    });
    const provider = new AzureProvider({ tokenSource: credentialTokenSource(credential), caFileFor: () => acr.caFile });
    await assert.rejects(provider.login(acr.host), (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.provider, 'azure');
      assert.equal(error.step, 'credentials');
      assert.match(error.message, /Entra ID token/);
      assert.match(error.hint, /az login/);
      assert.ok(!error.message.includes(wrong) && !error.hint.includes(wrong), 'the secret is not repeated');
      return true;
    });
  });

  test('an Entra ID token the registry refuses fails at the exchange step, saying which role to grant', async () => {
    const stranger = new DefaultAzureCredential({ disableInstanceDiscovery: true, tlsOptions: { ca: entra.ca } });
    const foreignTenant = credentialTokenSource(stranger);
    const provider = new AzureProvider({
      // The right token, but presented as another tenant's: ACR refuses it.
      tokenSource: {
        signInHint: foreignTenant.signInHint,
        getToken: async (scope) => ({ ...(await foreignTenant.getToken(scope)), tenantId: 'another-tenant' }),
      },
      caFileFor: () => acr.caFile,
    });
    await assert.rejects(provider.login(acr.host), (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.step, 'exchange');
      assert.match(error.message, /refused the Entra ID token at \/oauth2\/exchange \(HTTP 401\)/);
      assert.match(error.hint, /AcrPull/);
      return true;
    });
  });
});
