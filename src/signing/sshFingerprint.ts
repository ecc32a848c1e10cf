import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * The key ID go-securesystemslib's DSSE verifier derives when the verifier has none (as in
 * sigstore-go): the OpenSSH SHA256 fingerprint `SHA256:<unpadded base64>` of the key's SSH wire
 * encoding. A DSSE signature whose non-empty keyid differs from it is skipped. Covers the key types
 * cosign signs with here (ECDSA NIST curves, RSA); other types get no fingerprint.
 */
export function sshFingerprint(key: KeyObject): string | undefined {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = pub.export({ format: 'jwk' });
  let wire: Buffer;
  if (jwk.kty === 'EC' && jwk.crv && jwk.x && jwk.y) {
    const curve = { 'P-256': 'nistp256', 'P-384': 'nistp384', 'P-521': 'nistp521' }[jwk.crv];
    if (!curve) return undefined;
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
    wire = Buffer.concat([sshString(`ecdsa-sha2-${curve}`), sshString(curve), sshString(point)]);
  } else if (jwk.kty === 'RSA' && jwk.n && jwk.e) {
    wire = Buffer.concat([
      sshString('ssh-rsa'),
      sshString(mpint(Buffer.from(jwk.e, 'base64url'))),
      sshString(mpint(Buffer.from(jwk.n, 'base64url'))),
    ]);
  } else {
    return undefined;
  }
  return `SHA256:${createHash('sha256').update(wire).digest('base64').replace(/=+$/, '')}`;
}

function sshString(value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** SSH mpint: big-endian, a leading zero when the top bit is set. */
function mpint(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
}
