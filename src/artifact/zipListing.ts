import { inflateRawSync } from 'node:zlib';
import { OciError } from '../oci';
import { errorMessage } from '../text/format';

/** One file of a zip archive, from its central directory. */
export interface ZipEntry {
  path: string;
  /** Uncompressed bytes, as the directory declares them. */
  size: number;
  compressedSize: number;
  /** 0 stored, 8 deflated; nothing else is read. */
  method: number;
  /** Where its local header starts. */
  offset: number;
}

/**
 * The files a zip archive holds, from its central directory (APPNOTE.TXT 4.3.12, 4.3.16): names
 * and sizes only, nothing is inflated. Folders (names ending in "/") are left out.
 */
export function zipListing(zip: Buffer): ZipEntry[] {
  // The end-of-central-directory record sits in the last 22 + 65,535 (comment) bytes.
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new OciError('PROTOCOL', 'The layer is not a zip archive (no end of central directory)');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50)
      throw new OciError('PROTOCOL', 'The zip archive has a broken central directory');
    const nameLength = zip.readUInt16LE(at + 28);
    const path = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (!path.endsWith('/'))
      entries.push({
        path,
        method: zip.readUInt16LE(at + 10),
        compressedSize: zip.readUInt32LE(at + 20),
        size: zip.readUInt32LE(at + 24),
        offset: zip.readUInt32LE(at + 42),
      });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

/**
 * One entry's bytes: stored, or inflated to at most `maxBytes` (and never past its declared size,
 * so a zip bomb stops at what its directory admits to).
 */
export function zipEntryContent(zip: Buffer, entry: ZipEntry, maxBytes: number): Buffer {
  if (entry.size > maxBytes)
    throw new OciError('TOO_LARGE', `"${entry.path}" in the zip is ${entry.size} bytes, more than the ${maxBytes}-byte limit`);
  const at = entry.offset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== 0x04034b50)
    throw new OciError('PROTOCOL', `The zip archive's entry "${entry.path}" has no local header`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (data.length !== entry.compressedSize) throw new OciError('PROTOCOL', `The zip archive ends inside "${entry.path}"`);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method !== 8)
    throw new OciError(
      'UNSUPPORTED',
      `"${entry.path}" in the zip uses compression method ${entry.method}; only stored and deflated files are read`,
    );
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) });
  } catch (error) {
    throw new OciError('PROTOCOL', `"${entry.path}" in the zip does not inflate to its declared size (${errorMessage(error)})`);
  }
}
