import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OciClient, parseReference, type Descriptor, type RepositoryApi } from '../../src/oci';
import { parseTrustedRoot, verifyArtifact, type SignatureResult } from '../../src/signing';
import { cli } from '../support/cli';
import { signCosign2Keyless } from '../support/cosign2Keyless';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { identityToken, startSigstore, type RunningSigstore } from '../support/sigstoreServer';
import { pushArtifact } from '../integration/fixtures';
import { legacyCosignSignature } from '../sandbox/seed';

// `cosign sign` without a key in cosign 2.x writes a keyless signature into the `.sig` tag (the
// layout test/support/cosign2Keyless.ts takes from sigstore/cosign pkg/oci/static/signature.go);
// `cosign verify --certificate-identity-regexp … --certificate-oidc-issuer-regexp …` accepts it
// (pkg/cosign/verify.go). `oci-gitops verify` and the explorer's badges judge it the same way.
const ISSUER = 'https://oidc-issuer.example.com';
const JOB = 'https://ci.example.com/pipelines/7';

describe('verify: a cosign 2 keyless signature in the .sig tag', () => {
  let registry: RunningRegistry;
  let client: OciClient;
  let repo: RepositoryApi;
  let sigstore: RunningSigstore;
  let artifact: Descriptor;
  const dir = mkdtempSync(join(tmpdir(), 'oci-gitops-cosign2-'));

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    client = new OciClient();
    repo = client.repository(parseReference(`${registry.host}/team/legacy`));
    sigstore = await startSigstore();
    writeFileSync(join(dir, 'trusted_root.json'), JSON.stringify(sigstore.trustedRoot));
    artifact = await pushArtifact(repo, 'v1', { files: { 'deploy.yaml': 'kind: ConfigMap\n' } });
    await signCosign2Keyless(repo, artifact, sigstore, identityToken({ iss: ISSUER, sub: JOB, email_verified: true }));
  });
  after(async () => {
    await client?.close();
    await registry?.stop();
    await sigstore?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const statuses = (signatures: SignatureResult[]) => signatures.map((s) => `${s.format}:${s.status}`);
  const trustedRoot = () => parseTrustedRoot(JSON.stringify(sigstore.trustedRoot), 'the mock trusted root');

  test('is verified against the trusted root and a matching identity', async () => {
    const result = await verifyArtifact(repo, artifact, {
      keyless: { trustedRoot: trustedRoot(), identities: [{ issuer: `^${ISSUER}$`, subject: '^https://ci\\.example\\.com/.*$' }] },
    });
    assert.deepEqual(statuses(result.signatures), ['cosign:verified']);
    assert.equal(result.verified, true);
  });

  test('is invalid for another identity, naming who signed', async () => {
    const result = await verifyArtifact(repo, artifact, {
      keyless: { trustedRoot: trustedRoot(), identities: [{ issuer: `^${ISSUER}$`, subject: '^alice@example\\.com$' }] },
    });
    assert.deepEqual(statuses(result.signatures), ['cosign:invalid']);
    assert.match(result.signatures[0].reason ?? '', new RegExp(JOB.replace(/[.]/g, '\\.')));
  });

  test('without any trust, shows who signed it and stays unverified', async () => {
    const result = await verifyArtifact(repo, artifact, {});
    assert.deepEqual(statuses(result.signatures), ['cosign:unverified']);
    assert.equal(result.signatures[0].identity?.subject, JOB);
  });

  test('a key-signed .sig layer stays unverified under keyless trust alone, not invalid (the explorer badge of a key signature)', async () => {
    const keySigned = await pushArtifact(repo, 'v2', { files: { 'deploy.yaml': 'kind: Secret\n' } });
    await legacyCosignSignature(client, `${registry.host}/team/legacy`, keySigned.digest);
    const result = await verifyArtifact(repo, keySigned, {
      keyless: { trustedRoot: trustedRoot(), identities: [{ issuer: `^${ISSUER}$`, subject: '^https://ci\\.example\\.com/.*$' }] },
    });
    assert.deepEqual(statuses(result.signatures), ['cosign:unverified']);
    assert.match(result.signatures[0].reason ?? '', /signed with a key .*no Fulcio certificate/);
  });

  test('the CLI verifies it with cosign-style identity flags and refuses another identity', async () => {
    const args = [
      'verify',
      `${registry.host}/team/legacy:v1`,
      '--trusted-root',
      join(dir, 'trusted_root.json'),
      '--certificate-oidc-issuer-regexp',
      `^${ISSUER}$`,
      '--json',
    ];
    const verified = await cli([...args, '--certificate-identity-regexp', '^https://ci\\.example\\.com/.*$']);
    assert.equal(verified.code, 0, verified.stderr);
    assert.deepEqual(statuses((JSON.parse(verified.stdout) as { signatures: SignatureResult[] }).signatures), ['cosign:verified']);
    const refused = await cli([...args, '--certificate-identity-regexp', '^alice@example\\.com$']);
    assert.equal(refused.code, 1);
  });
});
