import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { OciError } from '../errors';
import { validateDigest } from '../reference/reference';

export function digestOf(bytes: Uint8Array, algorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

export function algorithmOf(digest: string): string {
  validateDigest(digest);
  return digest.slice(0, digest.indexOf(':'));
}

/** Throws DIGEST_MISMATCH unless `bytes` hash to `expected`. */
export function verifyBytes(bytes: Uint8Array, expected: string, what: string): void {
  const actual = digestOf(bytes, algorithmOf(expected));
  if (actual !== expected) throw mismatch(what, expected, actual);
}

export function mismatch(what: string, expected: string, actual: string): OciError {
  return new OciError('DIGEST_MISMATCH', `Integrity check failed for ${what}: expected ${expected} but the content hashes to ${actual}`, {
    hint: 'The registry or a proxy returned different bytes than it advertised; do not trust this content and report it to the registry operator',
  });
}

/**
 * Passes bytes through while hashing them, and fails the stream at its end (before the consumer
 * sees 'end') if the digest or size differs from the descriptor. The last chunk is held back until
 * the digest verifies, so a consumer that forwards the bytes (an upload with a Content-Length)
 * never has the whole of a wrong blob to commit. Consumers must still treat the data as untrusted
 * until the stream finishes without error.
 */
export class VerifyingStream extends Transform {
  private readonly hash: Hash;
  private received = 0;
  private held?: Buffer;

  /** `onBytes` hears the running count of bytes passed on (progress without another stream stage). */
  constructor(
    private readonly expectedDigest: string,
    private readonly expectedSize: number | undefined,
    private readonly what: string,
    private readonly onBytes?: (received: number) => void,
  ) {
    super();
    this.hash = createHash(algorithmOf(expectedDigest));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    if (this.expectedSize !== undefined && this.received > this.expectedSize) {
      callback(
        new OciError(
          'DIGEST_MISMATCH',
          `Integrity check failed for ${this.what}: more than the advertised ${this.expectedSize} bytes arrived`,
        ),
      );
      return;
    }
    this.hash.update(chunk);
    this.onBytes?.(this.received);
    const previous = this.held;
    this.held = chunk;
    callback(null, previous);
  }

  override _flush(callback: TransformCallback): void {
    if (this.expectedSize !== undefined && this.received !== this.expectedSize) {
      callback(
        new OciError(
          'DIGEST_MISMATCH',
          `Integrity check failed for ${this.what}: expected ${this.expectedSize} bytes but ${this.received} arrived`,
        ),
      );
      return;
    }
    const actual = `${algorithmOf(this.expectedDigest)}:${this.hash.digest('hex')}`;
    if (actual !== this.expectedDigest) return callback(mismatch(this.what, this.expectedDigest, actual));
    callback(null, this.held);
  }
}

/** The fallback tag that stands for a subject's referrers on registries without the referrers API. */
export function referrersTagFor(digest: string): string {
  const [algorithm, encoded] = digest.split(':', 2);
  return `${algorithm.slice(0, 32)}-${encoded.slice(0, 64)}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
}
