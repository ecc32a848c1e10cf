import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { TrustMaterial } from '@sigstore/verify';
import { OciClient, type Descriptor, type ImageManifest, type RepositoryApi, parseReference } from '../../src/oci';
import {
  getIdentityTokenInteractively,
  inTotoStatement,
  loadCosignPublicKeys,
  parseTrustedRoot,
  signKeyless,
  verifyArtifact,
  verifyKeylessBundle,
  type OidcIdentity,
  type SignatureResult,
} from '../../src/signing';
import { pushArtifact } from '../integration/fixtures';
import { cli } from '../support/cli';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { identityToken, startFakeOidcIssuer, startSigstore, type FakeOidcIssuer, type RunningSigstore } from '../support/sigstoreServer';

const run = promisify(execFile);
const BUNDLE_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const ISSUER = 'https://issuer.example.test';
const ALICE = 'alice@example.test';
const ALICE_IDENTITY: OidcIdentity = { issuer: '^https://issuer\\.example\\.test$', subject: '^alice@example\\.test$' };

function tokenFor(subject: string, issuer = ISSUER): string {
  return identityToken({ iss: issuer, sub: subject, email: subject, email_verified: true });
}

describe('keyless signing against a local Fulcio + Rekor and a real registry', () => {
  let registry: RunningRegistry;
  let client: OciClient;
  let repo: RepositoryApi;
  let sigstore: RunningSigstore;
  let trustedRoot: TrustMaterial;
  let artifact: Descriptor;
  /** The bundle the first test pushed for `artifact`. */
  let bundleBytes: Buffer;
  const dir = mkdtempSync(join(tmpdir(), 'oci-gitops-keyless-'));

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    client = new OciClient();
    repo = client.repository(parseReference(`${registry.host}/team/keyless`));
    sigstore = await startSigstore();
    trustedRoot = parseTrustedRoot(JSON.stringify(sigstore.trustedRoot), 'the mock trusted root');
    writeFileSync(join(dir, 'trusted_root.json'), JSON.stringify(sigstore.trustedRoot));
    artifact = await pushArtifact(repo, 'v1', { files: { 'deploy.yaml': 'kind: ConfigMap\n' } });
  });
  after(async () => {
    await client?.close();
    await registry?.stop();
    await sigstore?.stop();
  });

  const sign = (subject: Descriptor, token = tokenFor(ALICE)) =>
    signKeyless(repo, subject, { identityToken: token, fulcioURL: sigstore.fulcioURL, rekorURL: sigstore.rekorURL, timeoutMs: 10_000 });
  const keylessResults = async (
    subject: Descriptor,
    identities: OidcIdentity[] | undefined,
    extra: { cosignKeys?: ReturnType<typeof loadCosignPublicKeys> } = {},
  ): Promise<SignatureResult[]> => {
    const result = await verifyArtifact(repo, subject, { ...extra, ...(identities ? { keyless: { trustedRoot, identities } } : {}) });
    const bundles = result.signatures.filter((s) => s.format === 'sigstore-bundle');
    assert.ok(bundles.length > 0, 'the keyless bundle was discovered');
    return bundles;
  };

  test('signing pushes a bundle referrer of the digest with a Fulcio certificate and a Rekor entry', async () => {
    const result = await sign(artifact);
    assert.deepEqual(result.identity, { subject: ALICE, issuer: ISSUER });
    assert.equal(sigstore.requests.get('/api/v2/signingCert'), 1);
    assert.equal(sigstore.requests.get('/api/v1/log/entries'), 1);
    const referrers = await repo.referrers(artifact.digest, { artifactType: BUNDLE_TYPE });
    assert.deepEqual(
      referrers.map((r) => r.digest),
      [result.bundle.digest],
    );
    const manifest = (await repo.fetchManifest(result.bundle.digest)).manifest as ImageManifest;
    assert.deepEqual(manifest.subject, { mediaType: artifact.mediaType, digest: artifact.digest, size: artifact.size });
    assert.equal(manifest.annotations?.['dev.sigstore.bundle.content'], 'dsse-envelope');
    assert.equal(manifest.layers.length, 1);
    bundleBytes = await repo.fetchBlobBytes(manifest.layers[0]);
    const bundle = JSON.parse(bundleBytes.toString());
    assert.equal(bundle.mediaType, BUNDLE_TYPE);
    assert.ok(bundle.verificationMaterial.certificate.rawBytes, 'a single Fulcio certificate, as v0.3 requires');
    assert.equal(bundle.verificationMaterial.publicKey, undefined);
    assert.equal(bundle.verificationMaterial.tlogEntries.length, 1);
    assert.equal(bundle.verificationMaterial.tlogEntries[0].kindVersion.kind, 'dsse');
    assert.ok(!bundle.dsseEnvelope.signatures[0].keyid, 'empty DSSE keyid, which sigstore-go requires');
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString());
    assert.deepEqual(statement.subject, [{ digest: { sha256: artifact.digest.slice('sha256:'.length) } }]);
  });

  test('it verifies with a matching identity and names the signer and issuer', async () => {
    const [result] = await keylessResults(artifact, [ALICE_IDENTITY]);
    assert.equal(result.status, 'verified', result.reason);
    assert.deepEqual(result.identity, { subject: ALICE, issuer: ISSUER });
    assert.equal(result.signer, `${ALICE} (issuer ${ISSUER})`);
    assert.match(result.signedAt ?? '', /^\d{4}-\d\d-\d\dT/);
  });

  test('a non-matching subject is invalid and says who signed', async () => {
    const [result] = await keylessResults(artifact, [{ ...ALICE_IDENTITY, subject: '^bob@example\\.test$' }]);
    assert.equal(result.status, 'invalid');
    assert.match(
      result.reason,
      /signed by alice@example\.test \(issuer https:\/\/issuer\.example\.test\), which matches no configured OIDC identity/,
    );
    assert.match(result.reason, /subject \/\^bob@example\\\.test\$\/ does not match/);
  });

  test('a non-matching issuer is invalid', async () => {
    const [result] = await keylessResults(artifact, [{ ...ALICE_IDENTITY, issuer: '^https://token\\.actions\\.githubusercontent\\.com$' }]);
    assert.equal(result.status, 'invalid');
    assert.match(result.reason, /issuer \/\^https:\/\/token.*\/ does not match/);
  });

  test('an anchored pattern rejects a subject that only contains it', async () => {
    const other = await pushArtifact(repo, 'contains', { files: { 'c.yaml': 'c: 1\n' } });
    await sign(other, tokenFor('mallory-alice@example.test.attacker.test'));
    const [result] = await keylessResults(other, [ALICE_IDENTITY]);
    assert.equal(result.status, 'invalid');
    assert.match(result.reason, /signed by mallory-alice@example\.test\.attacker\.test .*matches no configured OIDC identity/);
  });

  test('an unanchored pattern matches inside the subject, as Go regexp.MatchString does in cosign and Flux', async () => {
    const other = (await repo.resolve('contains')) as Descriptor;
    const [result] = await keylessResults(other, [{ issuer: 'issuer\\.example\\.test', subject: 'alice@example\\.test' }]);
    assert.equal(result.status, 'verified', result.reason);
  });

  test('a tampered digest claim fails: the DSSE payload no longer matches the signature and Rekor entry', async () => {
    const forged = `sha256:${'ab'.repeat(32)}`;
    const bundle = JSON.parse(bundleBytes.toString());
    bundle.dsseEnvelope.payload = inTotoStatement(forged).toString('base64');
    const check = verifyKeylessBundle(Buffer.from(JSON.stringify(bundle)), forged, trustedRoot, [ALICE_IDENTITY]);
    assert.equal(check.ok, false);
    assert.match(check.reason, /does not verify against the trusted root/);
  });

  test('a bundle presented for another digest is invalid on its in-toto subject', () => {
    const check = verifyKeylessBundle(bundleBytes, `sha256:${'cd'.repeat(32)}`, trustedRoot, [ALICE_IDENTITY]);
    assert.equal(check.ok, false);
    assert.match(check.reason, /the in-toto subject is sha256:[0-9a-f]{64}, not sha256:cdcd/);
  });

  test('a certificate from another Sigstore fails the chain check', async () => {
    const stranger = await startSigstore();
    try {
      const check = verifyKeylessBundle(bundleBytes, artifact.digest, parseTrustedRoot(JSON.stringify(stranger.trustedRoot)), [
        ALICE_IDENTITY,
      ]);
      assert.equal(check.ok, false);
      assert.match(check.reason, /does not verify against the trusted root: .*CERTIFICATE_ERROR/);
    } finally {
      await stranger.stop();
    }
  });

  test('without keyless trust the bundle is unverified, even with cosign keys configured', async () => {
    const { publicKey } = (await import('node:crypto')).generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(join(dir, 'other.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
    for (const extra of [{}, { cosignKeys: loadCosignPublicKeys([join(dir, 'other.pub')]) }]) {
      const [result] = await keylessResults(artifact, undefined, extra);
      assert.equal(result.status, 'unverified', result.reason);
      assert.match(result.reason, /no keyless trust configured/);
      assert.equal(result.identity?.subject, ALICE, 'the unchecked identity is shown');
    }
  });

  test('an expired token fails before Fulcio is asked, and the error does not contain the token', async () => {
    const asked = sigstore.requests.get('/api/v2/signingCert');
    const expired = identityToken({
      iss: ISSUER,
      sub: ALICE,
      email: ALICE,
      email_verified: true,
      exp: Math.floor(Date.now() / 1000) - 3600,
    });
    await assert.rejects(sign(artifact, expired), (error: Error) => {
      assert.match(error.message, /expired at/);
      assert.ok(!error.message.includes(expired.split('.')[1]));
      return true;
    });
    assert.equal(sigstore.requests.get('/api/v2/signingCert'), asked);
  });

  test('the CLI signs with --keyless and SIGSTORE_ID_TOKEN, then verifies with cosign-style identity flags', async () => {
    const target = await pushArtifact(repo, 'cli', { files: { 'x.yaml': 'x: 1\n' } });
    const token = tokenFor(ALICE);
    const signed = await cli(
      ['sign', `${registry.host}/team/keyless:cli`, '--keyless', '--fulcio-url', sigstore.fulcioURL, '--rekor-url', sigstore.rekorURL],
      { SIGSTORE_ID_TOKEN: token },
    );
    assert.equal(signed.code, 0, signed.stderr);
    assert.match(signed.stdout, new RegExp(`Signed ${registry.host}/team/keyless@${target.digest}`));
    assert.match(
      signed.stdout,
      /keyless bundle +sha256:[0-9a-f]{64}: signed as alice@example\.test \(issuer https:\/\/issuer\.example\.test\)/,
    );
    assert.ok(!(signed.stdout + signed.stderr).includes(token.split('.')[1]), 'the token is never printed');
    const args = [
      'verify',
      `${registry.host}/team/keyless:cli`,
      '--trusted-root',
      join(dir, 'trusted_root.json'),
      '--certificate-oidc-issuer-regexp',
      ALICE_IDENTITY.issuer,
      '--json',
    ];
    const verified = await cli([...args, '--certificate-identity-regexp', ALICE_IDENTITY.subject]);
    assert.equal(verified.code, 0, verified.stderr);
    const report = JSON.parse(verified.stdout) as { signatures: SignatureResult[] };
    assert.deepEqual(
      report.signatures.map((s) => `${s.format}:${s.status}`),
      ['sigstore-bundle:verified'],
    );
    const refused = await cli([...args, '--certificate-identity-regexp', '^bob@example\\.test$']);
    assert.equal(refused.code, 1);
  });

  test('the bundled CLI, whose Sigstore HTTP is undici (as in the extension host), signs keyless too', async () => {
    const bundle = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
    assert.ok(existsSync(bundle), `${bundle} is missing: run npm run package first (npm test does)`);
    await pushArtifact(repo, 'bundled', { files: { 'y.yaml': 'y: 1\n' } });
    const { stdout } = await run(
      process.execPath,
      [
        bundle,
        'sign',
        `${registry.host}/team/keyless:bundled`,
        '--keyless',
        '--fulcio-url',
        sigstore.fulcioURL,
        '--rekor-url',
        sigstore.rekorURL,
      ],
      { env: { ...process.env, SIGSTORE_ID_TOKEN: tokenFor(ALICE) }, timeout: 60_000 },
    );
    assert.match(stdout, /keyless bundle +sha256:[0-9a-f]{64}: signed as alice@example\.test/);
  });
});

describe('browser sign-in (OIDC authorization code + PKCE on a loopback redirect)', () => {
  let issuer: FakeOidcIssuer;
  before(async () => {
    issuer = await startFakeOidcIssuer({ sub: ALICE, email: ALICE, email_verified: true });
  });
  after(async () => {
    await issuer?.stop();
  });

  /** What a browser does: follow the issuer's redirect back to the loopback server, optionally tampering with it. */
  const browser = (tamper: (callback: URL) => void = () => undefined) => {
    const visits: { callback?: URL; status?: number } = {};
    const open = async (url: string) => {
      const authorize = await fetch(url, { redirect: 'manual' });
      const callback = new URL(authorize.headers.get('location') ?? '');
      tamper(callback);
      visits.callback = callback;
      visits.status = (await fetch(callback)).status;
    };
    return { open, visits };
  };

  test('it completes against the issuer and returns an id_token bound to this sign-in', async () => {
    const { open, visits } = browser();
    const token = await getIdentityTokenInteractively({ issuer: issuer.url, openBrowser: open, timeoutMs: 10_000 });
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    assert.equal(claims.iss, issuer.url);
    assert.equal(claims.email, ALICE);
    assert.equal(claims.aud, 'sigstore');
    assert.match(visits.callback?.origin ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(visits.callback?.pathname, '/auth/callback');
    assert.equal(visits.status, 200);
    assert.match(
      issuer.lastTokenRequest?.get('code_verifier') ?? '',
      /^[A-Za-z0-9_-]{43}$/,
      'PKCE verifier sent (the issuer checked it against the S256 challenge)',
    );
  });

  test('a redirect with a wrong state is refused', async () => {
    const exchanged = issuer.tokenRequests;
    const { open, visits } = browser((callback) => callback.searchParams.set('state', 'forged-state'));
    await assert.rejects(
      getIdentityTokenInteractively({ issuer: issuer.url, openBrowser: open, timeoutMs: 10_000 }),
      /wrong state parameter/,
    );
    assert.equal(visits.status, 400);
    assert.equal(issuer.tokenRequests, exchanged, 'the code was never exchanged');
  });

  test('with no sign-in it times out with a clear error', async () => {
    await assert.rejects(
      getIdentityTokenInteractively({ issuer: issuer.url, openBrowser: () => undefined, timeoutMs: 300 }),
      /No sign-in completed at .* within 300 ms.*SIGSTORE_ID_TOKEN/s,
    );
  });
});
