import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { bundleFromJSON } from '@sigstore/bundle';
import { toSignedEntity, Verifier, type TrustMaterial } from '@sigstore/verify';
import { createKeyBundle, verifyKeyBundle } from '../../src/signing';
import { OTHER_DIGEST, p256, SUBJECT } from './formats';
import type { KeyObject } from 'node:crypto';

/** Independent of our wrapper: @sigstore/verify with key-only trust material and every threshold 0. */
function sigstoreVerify(bundle: Buffer, key: KeyObject): void {
  const trust: TrustMaterial = {
    certificateAuthorities: [],
    timestampAuthorities: [],
    tlogs: [],
    ctlogs: [],
    publicKey: () => ({ publicKey: key, validFor: () => true }),
  };
  new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(
    toSignedEntity(bundleFromJSON(JSON.parse(bundle.toString()))),
  );
}

test('our bundle verifies with @sigstore/verify using key-only trust material and thresholds 0', async () => {
  const { privateKey, publicKey } = p256();
  const bundle = await createKeyBundle(privateKey, SUBJECT.digest);
  assert.doesNotThrow(() => sigstoreVerify(bundle, publicKey));
});

test("our bundle has cosign's key-only v0.3 layout: DSSE in-toto statement, hint = base64 SHA-256 of the SPKI, empty keyid, no tlog or timestamps", async () => {
  const { privateKey, publicKey } = p256();
  const json = JSON.parse((await createKeyBundle(privateKey, SUBJECT.digest)).toString());
  assert.equal(json.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
  assert.deepEqual(json.verificationMaterial, {
    publicKey: {
      hint: createHash('sha256')
        .update(publicKey.export({ type: 'spki', format: 'der' }))
        .digest('base64'),
    },
  });
  assert.equal(json.dsseEnvelope.payloadType, 'application/vnd.in-toto+json');
  assert.equal(json.dsseEnvelope.signatures.length, 1);
  assert.ok(!json.dsseEnvelope.signatures[0].keyid, 'a non-empty keyid makes sigstore-go skip the signature');
  const statement = JSON.parse(Buffer.from(json.dsseEnvelope.payload, 'base64').toString());
  assert.deepEqual(statement, {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ digest: { sha256: SUBJECT.digest.slice(7) } }],
    predicateType: 'https://sigstore.dev/cosign/sign/v1',
    predicate: {},
  });
});

test('a bundle verifies with our cosign-3 checks when the key and digest match', async () => {
  const { privateKey, publicKey } = p256();
  const result = verifyKeyBundle(await createKeyBundle(privateKey, SUBJECT.digest), SUBJECT.digest, publicKey);
  assert.ok(result.ok, result.reason);
});

test('tamper: a bundle whose DSSE payload was changed fails, in @sigstore/verify and in our checks', async () => {
  const { privateKey, publicKey } = p256();
  const json = JSON.parse((await createKeyBundle(privateKey, SUBJECT.digest)).toString());
  const statement = JSON.parse(Buffer.from(json.dsseEnvelope.payload, 'base64').toString());
  statement.subject[0].digest.sha256 = OTHER_DIGEST.slice(7);
  json.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
  const tampered = Buffer.from(JSON.stringify(json));
  assert.throws(() => sigstoreVerify(tampered, publicKey));
  assert.equal(verifyKeyBundle(tampered, OTHER_DIGEST, publicKey).ok, false);
});

test('tamper: a correctly signed bundle for another digest fails the in-toto subject check (which @sigstore/verify alone does not do)', async () => {
  const { privateKey, publicKey } = p256();
  const bundle = await createKeyBundle(privateKey, OTHER_DIGEST);
  assert.doesNotThrow(() => sigstoreVerify(bundle, publicKey));
  const result = verifyKeyBundle(bundle, SUBJECT.digest, publicKey);
  assert.equal(result.ok, false);
  assert.match(result.reason, /in-toto subject is sha256:b2b2.*, not sha256:a1a1/);
});

test('tamper: a bundle checked with another key fails', async () => {
  const bundle = await createKeyBundle(p256().privateKey, SUBJECT.digest);
  const other = p256().publicKey;
  assert.throws(() => sigstoreVerify(bundle, other));
  assert.match(verifyKeyBundle(bundle, SUBJECT.digest, other).reason, /does not verify with this key/);
});

test('a bundle whose DSSE keyid is not the key fingerprint fails, as sigstore-go would skip that signature', async () => {
  const { privateKey, publicKey } = p256();
  const json = JSON.parse((await createKeyBundle(privateKey, SUBJECT.digest)).toString());
  json.dsseEnvelope.signatures[0].keyid = json.verificationMaterial.publicKey.hint;
  const result = verifyKeyBundle(Buffer.from(JSON.stringify(json)), SUBJECT.digest, publicKey);
  assert.equal(result.ok, false);
  assert.match(result.reason, /keyid/);
});

test('a message-signature or v0.2 bundle is refused as cosign 3 refuses it', async () => {
  const { privateKey, publicKey } = p256();
  const json = JSON.parse((await createKeyBundle(privateKey, SUBJECT.digest)).toString());
  const older = { ...json, mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.2' };
  assert.match(
    verifyKeyBundle(Buffer.from(JSON.stringify(older)), SUBJECT.digest, publicKey).reason,
    /v0\.2; cosign 3 and Flux need v0\.3/,
  );
  const message = {
    mediaType: json.mediaType,
    verificationMaterial: json.verificationMaterial,
    messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: 'AA==' }, signature: 'AA==' },
  };
  assert.match(verifyKeyBundle(Buffer.from(JSON.stringify(message)), SUBJECT.digest, publicKey).reason, /does not contain a DSSE envelope/);
});
