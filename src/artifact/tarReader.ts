import { OciError } from '../oci/errors';

export interface TarLimits {
  /** Most bytes of file content in all (the unpacked size). */
  maxTotalBytes: number;
  /** Most entries (files and directories). */
  maxEntries: number;
}

export const DEFAULT_TAR_LIMITS: TarLimits = { maxTotalBytes: 256 * 1024 * 1024, maxEntries: 20_000 };

export type TarReadEntry =
  | { type: 'file'; path: string; content: Buffer; mode: number }
  | { type: 'directory'; path: string }
  | { type: 'symlink'; path: string; target: string };

const BLOCK = 512;

/**
 * Reads a tar stream entry by entry (USTAR, PAX and GNU long names), with limits, and refuses
 * entries a safe extractor must not write: absolute names, "..", backslashes, hard links and
 * device files. Symlinks are reported so callers can skip them as Flux does, or check them.
 *
 * After the end-of-archive block the rest of the stream is read to its end (and dropped): a
 * verifying source only checks its digest and size when it is read to its end, so an archive that
 * ends early inside a longer, swapped blob must not end the read early. Entries are untrusted
 * until this generator has returned.
 */
export async function* readTar(chunks: AsyncIterable<Buffer>, limits: TarLimits = DEFAULT_TAR_LIMITS): AsyncGenerator<TarReadEntry> {
  const input = new ByteQueue(chunks);
  let total = 0;
  let count = 0;
  let paxPath: string | undefined;
  let paxLinkpath: string | undefined;
  let paxSize: number | undefined;
  let gnuLongName: string | undefined;
  let gnuLongLink: string | undefined;
  for (;;) {
    const header = await input.read(BLOCK);
    if (!header) throw new OciError('PROTOCOL', 'The archive ends in the middle of a header: it is truncated');
    if (header.every((b) => b === 0)) {
      await input.drain();
      return;
    }
    verifyChecksum(header);
    const typeflag = String.fromCharCode(header[156] || 0x30);
    const size = paxSize ?? parseNumber(header, 124, 12);
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    const body = async (): Promise<Buffer> => {
      const content = (await input.read(size)) ?? truncated();
      if (!(await input.skip(padding))) truncated();
      return content;
    };
    // Bodies nobody reads (a directory's, a symlink's) are passed over, never held in memory.
    const skipBody = async (): Promise<void> => {
      if (!(await input.skip(size + padding))) truncated();
    };
    if (typeflag === 'x' || typeflag === 'g' || typeflag === 'L' || typeflag === 'K') {
      if (size > 1024 * 1024) throw new OciError('TOO_LARGE', 'The archive has an extended header over 1 MiB');
      const data = await body();
      if (typeflag === 'x') {
        const pax = parsePax(data);
        paxPath = pax.path ?? paxPath;
        paxLinkpath = pax.linkpath ?? paxLinkpath;
        paxSize = pax.size !== undefined ? paxNumber(pax.size, 'size') : paxSize;
      } else if (typeflag === 'L') {
        gnuLongName = cString(data);
      } else if (typeflag === 'K') {
        gnuLongLink = cString(data);
      }
      continue;
    }
    const prefix = header.subarray(257, 263).toString('latin1').startsWith('ustar') ? cString(header.subarray(345, 500)) : '';
    const rawName = paxPath ?? gnuLongName ?? (prefix ? `${prefix}/${cString(header.subarray(0, 100))}` : cString(header.subarray(0, 100)));
    const linkTarget = paxLinkpath ?? gnuLongLink ?? cString(header.subarray(157, 257));
    paxPath = paxLinkpath = gnuLongName = gnuLongLink = undefined;
    paxSize = undefined;
    const path = normaliseEntryName(rawName);
    if (++count > limits.maxEntries) {
      throw new OciError(
        'TOO_LARGE',
        `The archive has more than ${limits.maxEntries} entries; raise the file-count limit if it is expected`,
      );
    }
    if (typeflag === '0' || typeflag === '\0' || typeflag === '7') {
      total += size;
      if (total > limits.maxTotalBytes) {
        throw new OciError(
          'TOO_LARGE',
          `The archive unpacks to more than ${limits.maxTotalBytes} bytes (at "${path}"); raise the size limit if it is expected`,
        );
      }
      const content = await body();
      if (path === '') continue;
      yield { type: 'file', path, content, mode: parseNumber(header, 100, 8) };
    } else if (typeflag === '5') {
      await skipBody();
      if (path !== '') yield { type: 'directory', path };
    } else if (typeflag === '2') {
      await skipBody();
      yield { type: 'symlink', path, target: linkTarget };
    } else if (typeflag === '1') {
      throw new OciError('PROTOCOL', `The archive entry "${path}" is a hard link, which is not allowed`);
    } else if (typeflag === '3' || typeflag === '4' || typeflag === '6') {
      throw new OciError('PROTOCOL', `The archive entry "${path}" is a device or FIFO, which is not allowed`);
    } else {
      throw new OciError('PROTOCOL', `The archive entry "${path}" has the unsupported type "${typeflag}"`);
    }
  }
}

/**
 * Turns an entry name into a clean relative path ("" for the root), refusing what could escape
 * the extraction folder or that Flux rejects: absolute names, "..", backslashes.
 */
export function normaliseEntryName(name: string): string {
  if (name.includes('\\')) throw unsafe(name, 'contains a backslash');
  if (name.startsWith('/')) throw unsafe(name, 'is absolute');
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw unsafe(name, 'contains ".."');
  if (name.includes('\0')) throw unsafe(name, 'contains a NUL byte');
  return parts.join('/');
}

function unsafe(name: string, why: string): OciError {
  return new OciError('PROTOCOL', `Refusing the archive entry "${name.slice(0, 200)}": its name ${why}`, {
    hint: 'The artifact is malformed or hostile; do not unpack it',
  });
}

function truncated(): never {
  throw new OciError('PROTOCOL', 'The archive ends in the middle of a file: it is truncated');
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end < 0 ? bytes.length : end).toString('utf8');
}

function parseNumber(header: Buffer, offset: number, length: number): number {
  const field = header.subarray(offset, offset + length);
  if (field[0] & 0x80) {
    // GNU base-256 for values over the octal field's range.
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i];
    if (!Number.isSafeInteger(value)) throw new OciError('TOO_LARGE', 'An archive entry is too large');
    return value;
  }
  const text = cString(field).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new OciError('PROTOCOL', 'The archive has a corrupt header (bad number field)');
  return parseInt(text, 8);
}

function verifyChecksum(header: Buffer): void {
  const stored = parseNumber(header, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
  if (sum !== stored)
    throw new OciError('PROTOCOL', 'The archive has a corrupt header (checksum mismatch); it is not a tar file or it is damaged');
}

/** A PAX number (decimal digits only): anything else would slip past the limits as NaN. */
function paxNumber(text: string, key: string): number {
  const value = /^[0-9]{1,16}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value))
    throw new OciError(
      'PROTOCOL',
      `The archive has a PAX header whose ${key} is not a number ("${text.slice(0, 40)}"); it is malformed or hostile`,
    );
  return value;
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space < 0) break;
    const lengthText = data.subarray(offset, space).toString('ascii');
    const length = /^[0-9]{1,7}$/.test(lengthText) ? Number(lengthText) : NaN;
    if (!(length > space - offset + 1) || offset + length > data.length || data[offset + length - 1] !== 0x0a) {
      throw new OciError('PROTOCOL', 'The archive has a corrupt PAX header');
    }
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    offset += length;
  }
  return out;
}

/** Hands out exact byte counts from a stream of arbitrary chunks. */
class ByteQueue {
  private readonly iterator: AsyncIterator<Buffer>;
  private buffered: Buffer[] = [];
  private length = 0;
  private done = false;

  constructor(source: AsyncIterable<Buffer>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  async read(count: number): Promise<Buffer | undefined> {
    if (count === 0) return Buffer.alloc(0);
    while (this.length < count && (await this.pull()));
    if (this.length < count) return undefined;
    const all = this.buffered.length === 1 ? this.buffered[0] : Buffer.concat(this.buffered);
    const out = all.subarray(0, count);
    const rest = all.subarray(count);
    this.buffered = rest.length ? [rest] : [];
    this.length = rest.length;
    return Buffer.from(out);
  }

  /** Drops `count` bytes without keeping them; false when the stream ended first. */
  async skip(count: number): Promise<boolean> {
    let left = count;
    for (;;) {
      while (this.buffered.length > 0 && left > 0) {
        const first = this.buffered[0];
        if (first.length <= left) {
          left -= first.length;
          this.length -= first.length;
          this.buffered.shift();
        } else {
          this.buffered[0] = first.subarray(left);
          this.length -= left;
          left = 0;
        }
      }
      if (left === 0) return true;
      if (!(await this.pull())) return false;
    }
  }

  /** Reads the source to its end, dropping what is left. */
  async drain(): Promise<void> {
    this.buffered = [];
    this.length = 0;
    while (await this.pull()) {
      this.buffered = [];
      this.length = 0;
    }
  }

  private async pull(): Promise<boolean> {
    if (this.done) return false;
    const next = await this.iterator.next();
    if (next.done) {
      this.done = true;
      return false;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    this.buffered.push(chunk);
    this.length += chunk.length;
    return true;
  }
}
