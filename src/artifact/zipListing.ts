import { OciError } from '../oci';

/** One entry of a zip archive's central directory. */
export interface ZipEntry {
  path: string;
  /** Uncompressed bytes. */
  size: number;
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
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const path = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (!path.endsWith('/')) entries.push({ path, size });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
