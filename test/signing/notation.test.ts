import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { sign, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  certificateChainProblems,
  createJwsEnvelope,
  generateTestCertificate,
  loadNotationTrust,
  notationTrustDecision,
  verifyJwsEnvelope,
  writeNotationTrustFolder,
} from '../../src/signing';
import { thumbprintAnnotation } from '../../src/signing/notationEnvelope';
import { checkSignature } from '../../src/signing/verifyArtifact';
import { OTHER_DIGEST, SUBJECT } from './formats';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function envelopeFor(cert = generateTestCertificate({ commonName: 'oci-gitops.test' }), target = SUBJECT) {
  return { cert, bytes: createJwsEnvelope({ target, key: cert.privateKey, chain: [cert.certificateDer], signingTime: new Date() }) };
}

test("a generated test certificate meets Notary Project's leaf rules: critical keyUsage digitalSignature only, codeSigning EKU, cA=false, P-256/SHA-256", () => {
  const cert = generateTestCertificate({ commonName: 'oci-gitops.test' });
  assert.deepEqual(certificateChainProblems([cert.certificateDer], new Date()), []);
  const x509 = new X509Certificate(cert.certificateDer);
  assert.equal(x509.ca, false);
  assert.deepEqual(x509.keyUsage, ['1.3.6.1.5.5.7.3.3']);
  assert.ok(x509.verify(x509.publicKey), 'self-signed');
  assert.equal(x509.subject, 'C=US\nST=WA\nL=Seattle\nO=Notary\nCN=oci-gitops.test');
});

test(
  'openssl reads the generated test certificate and finds it self-signed with the expected extensions',
  { skip: spawnSync('openssl', ['version']).status !== 0 && 'no openssl on this machine' },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'oci-gitops-cert-'));
    const file = join(dir, 'cert.pem');
    writeFileSync(file, generateTestCertificate({ commonName: 'oci-gitops.test' }).certificatePem);
    const text = execFileSync('openssl', ['x509', '-in', file, '-noout', '-text']).toString();
    assert.match(text, /X509v3 Key Usage: critical\s+Digital Signature\n/);
    assert.match(text, /X509v3 Basic Constraints: critical\s+CA:FALSE/);
    assert.match(text, /X509v3 Extended Key Usage:\s*\n\s+Code Signing\n/);
    assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(execFileSync('openssl', ['verify', '-partial_chain', '-CAfile', file, file]).toString(), /: OK/);
  },
);

test("the JWS envelope has notation's shape: flattened JSON, required protected headers, std-base64 x5c, raw 64-byte ES256 signature over protected.payload", () => {
  const { cert, bytes } = envelopeFor();
  const jws = JSON.parse(bytes.toString());
  assert.deepEqual(Object.keys(jws).sort(), ['header', 'payload', 'protected', 'signature']);
  const header = JSON.parse(Buffer.from(jws.protected, 'base64url').toString());
  assert.equal(header.alg, 'ES256');
  assert.equal(header.cty, 'application/vnd.cncf.notary.payload.v1+json');
  assert.equal(header['io.cncf.notary.signingScheme'], 'notary.x509');
  assert.match(header['io.cncf.notary.signingTime'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'RFC 3339 in whole seconds');
  assert.deepEqual(header.crit, ['io.cncf.notary.signingScheme']);
  assert.deepEqual(jws.header.x5c, [cert.certificateDer.toString('base64')]);
  assert.deepEqual(JSON.parse(Buffer.from(jws.payload, 'base64url').toString()), { targetArtifact: SUBJECT });
  const signature = Buffer.from(jws.signature, 'base64url');
  assert.equal(signature.length, 64, 'golang-jwt wants r||s, not DER');
  assert.ok(
    verify(
      'sha256',
      Buffer.from(`${jws.protected}.${jws.payload}`),
      { key: new X509Certificate(cert.certificateDer).publicKey, dsaEncoding: 'ieee-p1363' },
      signature,
    ),
  );
});

test("our JWS verifies under the reimplementation of notation's rules", () => {
  const { bytes } = envelopeFor();
  const result = verifyJwsEnvelope(bytes, SUBJECT);
  assert.ok(result.ok, result.reason);
});

test('the thumbprint annotation is a JSON array of lowercase SHA-256 hex of each x5c certificate', () => {
  const cert = generateTestCertificate({ commonName: 'x' });
  const expected = new X509Certificate(cert.certificateDer).fingerprint256.replace(/:/g, '').toLowerCase();
  assert.equal(thumbprintAnnotation([cert.certificateDer]), JSON.stringify([expected]));
});

function resign(
  cert: ReturnType<typeof generateTestCertificate>,
  header: Record<string, unknown>,
  payload: unknown,
  x5c: Buffer[] = [cert.certificateDer],
): Buffer {
  const protectedB64 = b64url(header);
  const payloadB64 = b64url(payload);
  const signature = sign('sha256', Buffer.from(`${protectedB64}.${payloadB64}`), { key: cert.privateKey, dsaEncoding: 'ieee-p1363' });
  return Buffer.from(
    JSON.stringify({
      payload: payloadB64,
      protected: protectedB64,
      header: { x5c: x5c.map((c) => c.toString('base64')) },
      signature: signature.toString('base64url'),
    }),
  );
}

function headers(): Record<string, unknown> {
  return {
    alg: 'ES256',
    crit: ['io.cncf.notary.signingScheme'],
    cty: 'application/vnd.cncf.notary.payload.v1+json',
    'io.cncf.notary.signingScheme': 'notary.x509',
    'io.cncf.notary.signingTime': new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

test('tamper: a JWS whose payload was changed after signing fails', () => {
  const { bytes } = envelopeFor();
  const jws = JSON.parse(bytes.toString());
  jws.payload = b64url({ targetArtifact: { ...SUBJECT, size: SUBJECT.size + 1 } });
  const result = verifyJwsEnvelope(Buffer.from(JSON.stringify(jws)), { ...SUBJECT, size: SUBJECT.size + 1 });
  assert.equal(result.ok, false);
  assert.match(result.reason, /JWS signature does not verify/);
});

test('tamper: a correctly signed JWS for another digest fails the target artifact check', () => {
  const { bytes } = envelopeFor(undefined, { ...SUBJECT, digest: OTHER_DIGEST });
  const result = verifyJwsEnvelope(bytes, SUBJECT);
  assert.equal(result.ok, false);
  assert.match(result.reason, new RegExp(`signature is for ${OTHER_DIGEST}.*not for ${SUBJECT.digest}`));
});

test('tamper: a JWS signed by another key than the x5c leaf fails', () => {
  const signer = generateTestCertificate({ commonName: 'signer' });
  const other = generateTestCertificate({ commonName: 'other' });
  const forged = resign(signer, headers(), { targetArtifact: SUBJECT }, [other.certificateDer]);
  const result = verifyJwsEnvelope(forged, SUBJECT);
  assert.equal(result.ok, false);
  assert.match(result.reason, /does not verify with the signing certificate's key/);
});

test('tamper: a JWS made with an expired certificate fails', () => {
  const expired = generateTestCertificate({
    commonName: 'expired',
    notBefore: new Date(Date.now() - 10 * 86_400_000),
    notAfter: new Date(Date.now() - 86_400_000),
  });
  const bytes = resign(expired, headers(), { targetArtifact: SUBJECT });
  const result = verifyJwsEnvelope(bytes, SUBJECT);
  assert.equal(result.ok, false);
  assert.match(result.reason, /leaf certificate "expired" expired on/);
});

test('tamper: a JWS with an extra critical header notation cannot process fails', () => {
  const cert = generateTestCertificate({ commonName: 'crit' });
  const header = { ...headers(), crit: ['io.cncf.notary.signingScheme', 'io.example.mustUnderstand'], 'io.example.mustUnderstand': 'yes' };
  const result = verifyJwsEnvelope(resign(cert, header, { targetArtifact: SUBJECT }), SUBJECT);
  assert.equal(result.ok, false);
  assert.match(result.reason, /crit lists io\.example\.mustUnderstand/);
});

test('a JWS listing a critical header it does not contain fails', () => {
  const cert = generateTestCertificate({ commonName: 'crit' });
  const header = { ...headers(), crit: ['io.cncf.notary.signingScheme', 'io.cncf.notary.expiry'] };
  assert.match(
    verifyJwsEnvelope(resign(cert, header, { targetArtifact: SUBJECT }), SUBJECT).reason,
    /crit lists io\.cncf\.notary\.expiry, which the protected header does not contain/,
  );
});

test('a JWS past its io.cncf.notary.expiry fails', () => {
  const cert = generateTestCertificate({ commonName: 'exp' });
  const bytes = createJwsEnvelope({
    target: SUBJECT,
    key: cert.privateKey,
    chain: [cert.certificateDer],
    signingTime: new Date(Date.now() - 7200_000),
    expiry: new Date(Date.now() - 3600_000),
  });
  assert.match(verifyJwsEnvelope(bytes, SUBJECT).reason, /signature expired/);
});

test('a JWS whose alg does not match the certificate key (ES384 for P-256) fails', () => {
  const cert = generateTestCertificate({ commonName: 'alg' });
  assert.match(verifyJwsEnvelope(resign(cert, { ...headers(), alg: 'ES384' }, { targetArtifact: SUBJECT }), SUBJECT).reason, /alg ES384/);
});

const NO_OPENSSL = spawnSync('openssl', ['version']).status !== 0 && 'no openssl on this machine';

test('a certificate that is a CA (keyCertSign) is refused as a lone signing certificate', { skip: NO_OPENSSL }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oci-gitops-ca-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      join(dir, 'k.pem'),
      '-out',
      join(dir, 'c.pem'),
      '-subj',
      '/CN=ca',
      '-days',
      '2',
      '-addext',
      'keyUsage=critical,keyCertSign,digitalSignature',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
    ],
    { stdio: 'ignore' },
  );
  const der = new X509Certificate(readFileSync(join(dir, 'c.pem'))).raw;
  const problems = certificateChainProblems([der], new Date());
  assert.ok(
    problems.some((p) => /keyCertSign/.test(p)),
    problems.join('; '),
  );
  assert.ok(
    problems.some((p) => /marked as a CA/.test(p)),
    problems.join('; '),
  );
});

test('the trust folder serves notation (truststore/x509/ca/<name>) and Flux (trustpolicy.json + <name>.pem) and trusts its certificate', () => {
  const cert = generateTestCertificate({ commonName: 'oci-gitops.test' });
  const dir = mkdtempSync(join(tmpdir(), 'oci-gitops-trust-'));
  const files = writeNotationTrustFolder(dir, 'oci-gitops', cert.certificatePem, cert.subject.split(',').reverse().join(', '));
  assert.deepEqual(files.sort(), ['oci-gitops.pem', 'trustpolicy.json', 'truststore/x509/ca/oci-gitops/oci-gitops.pem']);
  const policy = JSON.parse(readFileSync(join(dir, 'trustpolicy.json'), 'utf8'));
  assert.deepEqual(policy.trustPolicies[0].trustStores, ['ca:oci-gitops']);
  assert.deepEqual(policy.trustPolicies[0].registryScopes, ['*']);
  assert.equal(policy.trustPolicies[0].signatureVerification.level, 'strict');
  const trust = loadNotationTrust(dir);
  assert.ok(notationTrustDecision(trust, [cert.certificateDer], '127.0.0.1:5000/app').ok);
  const stranger = generateTestCertificate({ commonName: 'stranger' });
  const decision = notationTrustDecision(trust, [stranger.certificateDer], '127.0.0.1:5000/app');
  assert.equal(decision.ok, false);
  assert.match(decision.reason, /is in the trust stores/);
});

test('a valid notation signature from an untrusted certificate is invalid, and without trust configured it is only unverified', () => {
  const { bytes } = envelopeFor();
  const other = generateTestCertificate({ commonName: 'trusted-one' });
  const dir = mkdtempSync(join(tmpdir(), 'oci-gitops-trust-'));
  writeNotationTrustFolder(dir, 'store', other.certificatePem);
  const found = { format: 'notation' as const, location: 'referrer', manifestDigest: 'sha256:x', envelope: bytes };
  assert.equal(checkSignature(found, SUBJECT, { notation: loadNotationTrust(dir) }, 'r/a').status, 'invalid');
  assert.equal(checkSignature(found, SUBJECT, {}, 'r/a').status, 'unverified');
});
