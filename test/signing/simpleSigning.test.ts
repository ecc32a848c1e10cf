import assert from 'node:assert/strict';
import { createHash, verify } from 'node:crypto';
import { test } from 'node:test';
import { cosignSignatureLayer, signatureConfig, signatureManifest } from '../../src/signing/cosignSignatureTag';
import { checkSignature } from '../../src/signing/verifyArtifact';
import { OTHER_DIGEST, p256, SUBJECT } from './formats';

const REFERENCE = '127.0.0.1:5000/team/app';

test("the simple-signing payload is byte for byte sigstore's SimpleContainerImage layout, with optional null", () => {
  const layer = cosignSignatureLayer(p256().privateKey, REFERENCE, SUBJECT.digest);
  assert.equal(
    layer.payload.toString(),
    `{"critical":{"identity":{"docker-reference":"${REFERENCE}"},"image":{"docker-manifest-digest":"${SUBJECT.digest}"},"type":"cosign container image signature"},"optional":null}`,
  );
  assert.equal(layer.descriptor.mediaType, 'application/vnd.dev.cosign.simplesigning.v1+json');
  assert.equal(layer.descriptor.digest, `sha256:${createHash('sha256').update(layer.payload).digest('hex')}`);
  assert.equal(layer.descriptor.size, layer.payload.length);
  assert.deepEqual(Object.keys(layer.descriptor.annotations ?? {}), ['dev.cosignproject.cosign/signature']);
});

test('the signature annotation is base64 ASN.1 DER ECDSA P-256 over SHA-256 of the exact payload bytes (plain crypto.verify)', () => {
  const { privateKey, publicKey } = p256();
  const layer = cosignSignatureLayer(privateKey, REFERENCE, SUBJECT.digest);
  const signature = Buffer.from(layer.descriptor.annotations!['dev.cosignproject.cosign/signature'], 'base64');
  assert.equal(signature[0], 0x30, 'DER SEQUENCE, not raw r||s');
  assert.ok(verify('sha256', layer.payload, { key: publicKey, dsaEncoding: 'der' }, signature));
  assert.ok(!verify('sha256', Buffer.concat([layer.payload, Buffer.from(' ')]), publicKey, signature), 'one extra byte breaks it');
});

test('the .sig manifest is an OCI image manifest whose config lists each layer as a diff_id', () => {
  const layer = cosignSignatureLayer(p256().privateKey, REFERENCE, SUBJECT.digest);
  const config = signatureConfig([layer.descriptor]);
  const manifest = JSON.parse(signatureManifest(config, [layer.descriptor]).toString());
  assert.equal(manifest.mediaType, 'application/vnd.oci.image.manifest.v1+json');
  assert.equal(manifest.config.mediaType, 'application/vnd.oci.image.config.v1+json');
  assert.deepEqual(JSON.parse(config.toString()).rootfs, { type: 'layers', diff_ids: [layer.descriptor.digest] });
  assert.deepEqual(manifest.layers, [layer.descriptor]);
});

function check(payload: Buffer, signature: string | undefined, key = p256().publicKey, digest = SUBJECT.digest) {
  return checkSignature(
    { format: 'cosign', location: 'test', manifestDigest: 'sha256:x', payload, signature },
    { ...SUBJECT, digest },
    { cosignKeys: [{ name: 'cosign.pub', key }] },
    REFERENCE,
  );
}

test('a simple-signing signature verifies with its public key and claims the digest', () => {
  const { privateKey, publicKey } = p256();
  const layer = cosignSignatureLayer(privateKey, REFERENCE, SUBJECT.digest);
  const result = check(layer.payload, layer.descriptor.annotations!['dev.cosignproject.cosign/signature'], publicKey);
  assert.equal(result.status, 'verified', result.reason);
  assert.equal(result.signer, 'cosign.pub');
});

test('tamper: a changed payload fails simple-signing verification', () => {
  const { privateKey, publicKey } = p256();
  const layer = cosignSignatureLayer(privateKey, REFERENCE, SUBJECT.digest);
  const changed = Buffer.from(layer.payload.toString().replace(REFERENCE, '127.0.0.1:5000/team/evil'));
  const result = check(changed, layer.descriptor.annotations!['dev.cosignproject.cosign/signature'], publicKey);
  assert.equal(result.status, 'invalid');
  assert.match(result.reason, /does not verify with the key cosign\.pub/);
});

test('tamper: a valid signature claiming another digest fails simple-signing verification', () => {
  const { privateKey, publicKey } = p256();
  const layer = cosignSignatureLayer(privateKey, REFERENCE, OTHER_DIGEST);
  const result = check(layer.payload, layer.descriptor.annotations!['dev.cosignproject.cosign/signature'], publicKey);
  assert.equal(result.status, 'invalid');
  assert.match(result.reason, new RegExp(`for ${OTHER_DIGEST}, not for ${SUBJECT.digest}`));
});

test('tamper: a simple-signing signature by another key fails', () => {
  const layer = cosignSignatureLayer(p256().privateKey, REFERENCE, SUBJECT.digest);
  const result = check(layer.payload, layer.descriptor.annotations!['dev.cosignproject.cosign/signature'], p256().publicKey);
  assert.equal(result.status, 'invalid');
});

test('a simple-signing signature with no key configured is reported unverified, not verified', () => {
  const layer = cosignSignatureLayer(p256().privateKey, REFERENCE, SUBJECT.digest);
  const result = checkSignature(
    {
      format: 'cosign',
      location: 'test',
      manifestDigest: 'sha256:x',
      payload: layer.payload,
      signature: layer.descriptor.annotations!['dev.cosignproject.cosign/signature'],
    },
    SUBJECT,
    {},
    REFERENCE,
  );
  assert.equal(result.status, 'unverified');
});
