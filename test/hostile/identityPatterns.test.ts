import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OciClient } from '../../src/oci';
import { matchIdentity, signKeyless, validateIdentities } from '../../src/signing';
import { compileGoRegexp } from '../../src/text/goRegexp';
import { pushArtifact } from '../integration/fixtures';
import { runBundledCli } from '../support/hostileArtifacts';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { identityToken, startSigstore, type RunningSigstore } from '../support/sigstoreServer';

/**
 * Issue 15, case 4: identity patterns (which may come from repository YAML) are matched as Go
 * matches them, in linear time. With a backtracking engine this pattern and identity take minutes.
 */
const CATASTROPHIC = '^([a-z0-9]+)+@example\\.test$';
const CRAFTED = `${'a'.repeat(40)}!@example.test`;
const ISSUER = 'https://issuer.example.test';

describe("identity patterns match in linear time, with Go's syntax", () => {
  test('a catastrophic pattern against a crafted identity answers at once', { timeout: 10_000 }, () => {
    const started = Date.now();
    const result = matchIdentity({ subject: CRAFTED, issuer: ISSUER }, [
      { issuer: '^https://issuer\\.example\\.test$', subject: CATASTROPHIC },
    ]);
    assert.equal(result.ok, false);
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  });

  test("matching is unanchored, as Go's MatchString (cosign, Flux)", () => {
    assert.equal(compileGoRegexp('example\\.com').test('alice@example.com.evil.test'), true);
    assert.equal(compileGoRegexp('^alice@example\\.com$').test('alice@example.com.evil.test'), false);
  });

  test('Go syntax is accepted: flags, named groups, \\A and \\z, POSIX classes, \\Q…\\E, Unicode classes', () => {
    assert.equal(compileGoRegexp('(?i)^ALICE@').test('alice@example.test'), true);
    assert.equal(compileGoRegexp('^(?P<user>[a-z]+)@').test('alice@example.test'), true);
    assert.equal(compileGoRegexp('\\Aalice@example\\.test\\z').test('alice@example.test'), true);
    assert.equal(compileGoRegexp('^[[:alpha:]]+@').test('alice@x'), true);
    assert.equal(compileGoRegexp('\\Qa.b\\E').test('a.b'), true);
    assert.equal(compileGoRegexp('\\Qa.b\\E').test('axb'), false);
    assert.equal(compileGoRegexp('^\\p{L}+$').test('zoë'), true);
  });

  test('what Go refuses is refused up front, with the pattern named', () => {
    for (const pattern of ['^(?=alice)', '(a)\\1', '(?<=a)b', 'a{1001}']) {
      assert.throws(
        () => validateIdentities([{ issuer: '.*', subject: pattern }]),
        (error: Error) => error.message.includes(`/${pattern}/`) && /not a usable regular expression/.test(error.message),
        pattern,
      );
    }
  });
});

describe('"oci-gitops verify" with a catastrophic identity pattern and a crafted certificate', { timeout: 60_000 }, () => {
  let registry: RunningRegistry;
  let sigstore: RunningSigstore;
  let client: OciClient;
  const dir = mkdtempSync(join(tmpdir(), 'oci-gitops-identity-'));
  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    sigstore = await startSigstore();
    client = new OciClient();
    writeFileSync(join(dir, 'trusted_root.json'), JSON.stringify(sigstore.trustedRoot));
    const repo = client.repository(`${registry.host}/team/crafted`);
    const subject = await pushArtifact(repo, 'v1', { files: { 'app.yaml': 'a: 1\n' } });
    // A certificate whose identity makes a backtracking engine try every split of the a's.
    const token = identityToken({ iss: ISSUER, sub: CRAFTED, email: CRAFTED, email_verified: true });
    await signKeyless(repo, subject, {
      identityToken: token,
      fulcioURL: sigstore.fulcioURL,
      rekorURL: sigstore.rekorURL,
      timeoutMs: 10_000,
    });
  });
  after(async () => {
    await client?.close();
    await registry?.stop();
    await sigstore?.stop();
  });

  test('verify answers "not verified" within seconds instead of hanging', async () => {
    const run = await runBundledCli(
      [
        'verify',
        `${registry.host}/team/crafted:v1`,
        '--trusted-root',
        join(dir, 'trusted_root.json'),
        '--certificate-oidc-issuer-regexp',
        '^https://issuer\\.example\\.test$',
        '--certificate-identity-regexp',
        CATASTROPHIC,
      ],
      { timeoutMs: 20_000 },
    );
    assert.equal(run.timedOut, false, 'verify ended by itself');
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(
        `signed by ${CRAFTED.replace(/[.!]/g, '\\$&')} \\(issuer https://issuer\\.example\\.test\\), which matches no configured OIDC identity`,
      ),
    );
    assert.ok(run.ms < 15_000, `took ${run.ms} ms`);
  });
});
