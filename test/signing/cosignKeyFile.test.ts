import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { test } from 'node:test';
import {
  encryptCosignPrivateKey,
  generateCosignKeyPair,
  isSigningError,
  loadCosignPrivateKey,
  loadCosignSigningKey,
  parsePem,
} from '../../src/signing';

// Upstream test vectors, verbatim from sigstore/cosign pkg/cosign/keys_test.go (commit
// 11671a73744069f05c3f706700b35be1162080ee, read through the search tool's stored copy);
// the password of each is "hello". signing.md §3 names pemsigstorekey as the vector.
const pemsigstorekey = `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----
eyJrZGYiOnsibmFtZSI6InNjcnlwdCIsInBhcmFtcyI6eyJOIjozMjc2OCwiciI6
OCwicCI6MX0sInNhbHQiOiI3T3VGd2VsbWZZNXVId2NoaURSc210anNwZ2ZlZjFG
Mk5lOGFDTjVLYVpZPSJ9LCJjaXBoZXIiOnsibmFtZSI6Im5hY2wvc2VjcmV0Ym94
Iiwibm9uY2UiOiJQNHk4OGhCb3ZTa09MbXN0bFVBaGJwdDJ0K2xTNUxQSCJ9LCJj
aXBoZXJ0ZXh0IjoiMnB1QzdyZldJOWh3bnJlQ2s4aUZDRlVwQlRrSzRJNlIvbFBF
cnBDekpXUGpJWXl4eGVIL1A2VW52cFJHdVhla1NNb3JMdGhLamdoQ1JlNy82NDVH
QWtoVm1LRC92eEF0S2EvbE1abENSQ3FlekJGUFd1dzNpeFRtZ2xhb2J1ZFVSbUVs
bmNGOGlZbzBTMVl6Y1ZOMVFwY2J2c0dNcUlYRzVlbmdteGp5dCtBcXlyZTF0Q0Y0
V01tU1BlaEljNlBqd2h1Q2xHaVpJUWRvTGc9PSJ9
-----END ENCRYPTED SIGSTORE PRIVATE KEY-----`;

// pemcosignkey: the older "ENCRYPTED COSIGN PRIVATE KEY" label, N=32768. Upstream's comment calls it
// "COSIGN labeled RSA key", but its plaintext is a PKCS#8 P-256 key (upstream only checks that it loads).
const pemcosignkey = `-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----
eyJrZGYiOnsibmFtZSI6InNjcnlwdCIsInBhcmFtcyI6eyJOIjozMjc2OCwiciI6
OCwicCI6MX0sInNhbHQiOiJ4WWdoc09JTUxUWGNOT0RsclNIOUNKc1FlOVFnZmN1
cmUrMXlLdHh1TlkwPSJ9LCJjaXBoZXIiOnsibmFtZSI6Im5hY2wvc2VjcmV0Ym94
Iiwibm9uY2UiOiI0cS9PSlVmaXJkSUkrUjZ0ajZBMmcyQ0JqL25xdFNicCJ9LCJj
aXBoZXJ0ZXh0IjoiKzB4Q3NzcFN0WStBczdKanJpOWtsbHBWd2JhcUI4ZWJNdWto
eS9aVE1MSXRsL3B1YS9jWVJvbytLRGxMWWdmOW1kSjk4K1FnQW9oTktoYnJPMTcw
MHdBY1JTMjFDOE4zQUNJRUVZaWpOMllBNnMraGJSbkhjUnd4eGhDMDFtb2FvL0dO
Y1pmbEJheXZMV3pXblo4d2NDZ2ZpT1o1VXlRTEFJMHh0dnR6dEh3cTdDV1Vhd3V4
RlhlNDZzck9TUE9SNHN6bytabWErUGovSFE9PSJ9
-----END ENCRYPTED COSIGN PRIVATE KEY-----`;

// pemcosigneckey: N=65536, but its plaintext is SEC1, which cosign refuses ("use ParseECPrivateKey instead").
const pemcosigneckey = `-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----
eyJrZGYiOnsibmFtZSI6InNjcnlwdCIsInBhcmFtcyI6eyJOIjo2NTUzNiwiciI6
OCwicCI6MX0sInNhbHQiOiJHK3F5WTYrNzhNS0JzMXNGTGs1ajYwcS9kS3Z1czBW
VkhlSHZybC9POTF3PSJ9LCJjaXBoZXIiOnsibmFtZSI6Im5hY2wvc2VjcmV0Ym94
Iiwibm9uY2UiOiJRc2JGdG13WDRDK2ttV3ZCcVRaMEFGOUFYdk1jRmg1SCJ9LCJj
aXBoZXJ0ZXh0IjoiREM5T28zeldiYVQzSXYwdFVnWEdycjUxYW1samwwNlQ5MTNP
VkxPbWpuMWhnK2o2WXRUbWg3SGhZSlY1N2J5eGE0Q281bE9YYmRqbTJ3aklubEd1
Um5aZCt5OExnekpSNzFSeEhKVzgrWmRlcFJmYWJMTjdHbDgrSFZEcERVQ3NxQnRh
VngyblpGbFEwWUl1anZwbFphblNGaUVvdERLVGkxZ3VhUXIwUHNzYU01NXZxbTRY
WS9rPSJ9
-----END ENCRYPTED COSIGN PRIVATE KEY-----`;

function scryptParams(pem: string): unknown {
  return JSON.parse(parsePem(pem)[0].der.toString('utf8')).kdf.params;
}

test("cosign's upstream pemsigstorekey vector decrypts with 'hello' into a P-256 key that signs and verifies", async () => {
  assert.deepEqual(scryptParams(pemsigstorekey), { N: 32768, r: 8, p: 1 });
  const key = await loadCosignSigningKey(pemsigstorekey, 'hello', 'pemsigstorekey');
  assert.equal(key.asymmetricKeyType, 'ec');
  assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  const payload = Buffer.from('payload');
  assert.ok(verify('sha256', payload, key, sign('sha256', payload, key)));
});

test("cosign's upstream pemcosignkey vector (older ENCRYPTED COSIGN label) decrypts and can sign", async () => {
  const key = await loadCosignSigningKey(pemcosignkey, 'hello', 'pemcosignkey');
  assert.equal(key.asymmetricKeyType, 'ec');
});

test("cosign's upstream pemcosigneckey vector is refused because its plaintext is SEC1, not PKCS#8, as cosign refuses it", async () => {
  assert.deepEqual(scryptParams(pemcosigneckey), { N: 65536, r: 8, p: 1 });
  await assert.rejects(
    loadCosignPrivateKey(pemcosigneckey, 'hello', 'pemcosigneckey'),
    (e: unknown) => isSigningError(e, 'KEY_INVALID') && /not PKCS#8/.test((e as Error).message),
  );
});

test('a wrong password fails as WRONG_PASSWORD, naming the file but never the password', async () => {
  await assert.rejects(loadCosignPrivateKey(pemsigstorekey, 'not-the-password', 'cosign.key'), (e: unknown) => {
    assert.ok(isSigningError(e, 'WRONG_PASSWORD'));
    assert.match((e as Error).message, /cosign\.key/);
    assert.doesNotMatch((e as Error).message, /not-the-password/);
    return true;
  });
});

test('generated key pairs are ENCRYPTED SIGSTORE PRIVATE KEY with scrypt N=65536 r=8 p=1 over a PKCS#8 P-256 key, and a PUBLIC KEY PEM', async () => {
  const pair = await generateCosignKeyPair('s3cret');
  const [block] = parsePem(pair.privateKeyPem);
  assert.equal(block.type, 'ENCRYPTED SIGSTORE PRIVATE KEY');
  const json = JSON.parse(block.der.toString('utf8'));
  assert.deepEqual(Object.keys(json), ['kdf', 'cipher', 'ciphertext']);
  assert.deepEqual(json.kdf.params, { N: 65536, r: 8, p: 1 });
  assert.equal(json.kdf.name, 'scrypt');
  assert.equal(json.cipher.name, 'nacl/secretbox');
  assert.equal(Buffer.from(json.kdf.salt, 'base64').length, 32);
  assert.equal(Buffer.from(json.cipher.nonce, 'base64').length, 24);
  assert.match(pair.publicKeyPem, /^-----BEGIN PUBLIC KEY-----\n/);
  const key = await loadCosignSigningKey(pair.privateKeyPem, 's3cret', 'generated');
  assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
});

test('keys encrypted with the OWASP set (N=131072) load, and parameter sets cosign does not accept are refused', async () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const owasp = await encryptCosignPrivateKey(privateKey, 'pw', { N: 131072, r: 8, p: 1 });
  assert.equal((await loadCosignPrivateKey(owasp, 'pw', 'owasp')).asymmetricKeyType, 'ec');
  const legacy = await encryptCosignPrivateKey(privateKey, 'pw', { N: 32768, r: 8, p: 1 });
  const tampered = legacy.replace(/\n([\s\S]*)\n-----END/, (_, body: string) => {
    const json = JSON.parse(Buffer.from(body.replace(/\n/g, ''), 'base64').toString());
    json.kdf.params.N = 16384;
    return `\n${Buffer.from(JSON.stringify(json)).toString('base64')}\n-----END`;
  });
  await assert.rejects(
    loadCosignPrivateKey(tampered, 'pw', 'weak.key'),
    (e: unknown) => isSigningError(e, 'KEY_UNSUPPORTED') && /unsupported scrypt parameters N=16384/.test((e as Error).message),
  );
});

test('a P-384 cosign key is refused for signing, since Flux verifies with a fixed SHA-256', async () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const pem = await encryptCosignPrivateKey(privateKey, 'pw');
  await assert.rejects(loadCosignSigningKey(pem, 'pw', 'p384.key'), (e: unknown) => isSigningError(e, 'KEY_UNSUPPORTED'));
});
