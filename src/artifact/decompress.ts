import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { OciError } from '../oci/errors';
import { errorMessage } from '../text/format';

export interface DecompressLimits {
  /** Most bytes the gzip stream may inflate to. */
  maxOutputBytes: number;
  /** Most output bytes per input byte, past the first MiB (gzip bombs inflate ~1000×). */
  maxRatio: number;
}

export const DEFAULT_DECOMPRESS_LIMITS: DecompressLimits = { maxOutputBytes: 256 * 1024 * 1024, maxRatio: 200 };

/** Inflates a gzip stream, stopping as soon as it grows past the limits. */
export async function* gunzipLimited(source: Readable, limits: DecompressLimits = DEFAULT_DECOMPRESS_LIMITS): AsyncGenerator<Buffer> {
  let input = 0;
  let output = 0;
  source.on('data', (chunk: Buffer) => {
    input += chunk.length;
  });
  const gunzip = createGunzip();
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  try {
    for await (const chunk of gunzip) {
      output += (chunk as Buffer).length;
      if (output > limits.maxOutputBytes) {
        throw new OciError(
          'TOO_LARGE',
          `The layer inflates to more than ${limits.maxOutputBytes} bytes; raise the unpack size limit if it is expected`,
        );
      }
      if (output > 1024 * 1024 && output > input * limits.maxRatio) {
        throw new OciError(
          'TOO_LARGE',
          `The layer inflates more than ${limits.maxRatio}× its compressed size (a gzip bomb?); refusing to unpack it`,
        );
      }
      yield chunk as Buffer;
    }
    // zlib ends its output at the end of the gzip member, even when the blob goes on (zero padding
    // after a shorter, swapped archive). The rest of the blob must still be read: only at its end does
    // the verifying stream check the digest, and a swapped layer must fail here, not pass unread.
    source.unpipe(gunzip);
    if (source.errored) throw source.errored;
    for await (const rest of source) input += (rest as Buffer).length;
  } catch (error) {
    if (error instanceof OciError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_')) throw new OciError('PROTOCOL', `The layer is not valid gzip (${errorMessage(error)})`);
    throw error;
  } finally {
    source.unpipe(gunzip);
    gunzip.destroy();
    source.destroy();
  }
}
