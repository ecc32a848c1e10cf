import { ArtifactError } from './errors';
import { OciError } from '../oci/errors';

/** An entry of a reproducible tarball: only directories and regular files, as Flux and Argo CD accept. */
export type TarEntry = { type: 'directory'; path: string } | { type: 'file'; path: string; content: Buffer };

export const BLOCK = 512;

/**
 * Writes a USTAR archive whose bytes depend only on the entries: sorted by path, fixed modes
 * (0755 directories, 0644 files), uid/gid 0, empty user and group names, mtime 0. Names are
 * relative with "/" separators; anything absolute, with "..", or with a backslash is refused,
 * since Flux rejects such names and they could escape the extraction folder.
 */
export function writeTar(entries: TarEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const blocks: Buffer[] = [];
  for (const entry of sorted) {
    validateEntryPath(entry.path);
    const name = entry.type === 'directory' ? `${entry.path.replace(/\/+$/, '')}/` : entry.path;
    const size = entry.type === 'file' ? entry.content.length : 0;
    blocks.push(tarHeader(name, entry.type === 'directory' ? 0o755 : 0o644, size, entry.type === 'directory' ? '5' : '0'));
    if (entry.type === 'file') {
      blocks.push(entry.content);
      const pad = (BLOCK - (size % BLOCK)) % BLOCK;
      if (pad) blocks.push(Buffer.alloc(pad));
    }
  }
  blocks.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(blocks);
}

export function validateEntryPath(path: string): void {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.split('/').some((part) => part === '..')) {
    throw new ArtifactError(
      'FILE_UNSUPPORTED',
      `The archive entry name "${path}" is not allowed: it must be relative, without "..", and use "/" separators`,
    );
  }
}

/** One USTAR header block with the fixed, machine-independent fields. */
export function tarHeader(name: string, mode: number, size: number, typeflag: string): Buffer {
  const block = Buffer.alloc(BLOCK);
  const { prefix, base } = splitName(name);
  block.write(base, 0, 100, 'utf8');
  writeOctal(block, mode, 100, 8);
  writeOctal(block, 0, 108, 8);
  writeOctal(block, 0, 116, 8);
  writeOctal(block, size, 124, 12);
  writeOctal(block, 0, 136, 12);
  block.fill(0x20, 148, 156);
  block.write(typeflag, 156, 1, 'ascii');
  block.write('ustar\u000000', 257, 8, 'binary');
  block.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  writeOctal(block, sum, 148, 7);
  block[155] = 0x20;
  return block;
}

/** USTAR holds names up to 100 bytes, or 255 split at a "/" into prefix and name. */
function splitName(name: string): { prefix: string; base: string } {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', base: name };
  for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const base = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(base) <= 100 && base !== '') return { prefix, base };
  }
  throw new ArtifactError('FILE_UNSUPPORTED', `The path "${name}" is too long for a tar archive (at most 255 bytes, split at a "/")`);
}

function writeOctal(block: Buffer, value: number, offset: number, length: number): void {
  const text = value.toString(8).padStart(length - 1, '0');
  if (text.length > length - 1) throw new OciError('TOO_LARGE', `A tar header field cannot hold ${value}`);
  block.write(`${text}\u0000`, offset, length, 'ascii');
}
