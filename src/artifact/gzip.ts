import { gzipSync } from 'node:zlib';

/** gzip with a header that does not depend on the machine: no name, mtime 0, OS byte 255 (unknown). */
export function reproducibleGzip(data: Buffer): Buffer {
  const out = gzipSync(data, { level: 9 });
  out.writeUInt32LE(0, 4);
  out[9] = 255;
  return out;
}
