import { OciError } from '../oci';

/** More sections than any real module has; a module of millions of empty ones is refused, not walked. */
export const MAX_WASM_SECTIONS = 100_000;

/**
 * The payload of a WebAssembly module's custom section `name` (binary format: the `\0asm` magic,
 * version 1, then sections of an id byte and a LEB128 length), the last one when several share the
 * name; undefined when there is none. Only section headers are walked and names compared in place,
 * so memory stays constant however many sections there are: nothing of the module is compiled or run.
 */
export function wasmCustomSection(module: Buffer, name: string): Buffer | undefined {
  if (module.length < 8 || module.readUInt32BE(0) !== 0x0061736d)
    throw new OciError('PROTOCOL', 'The layer is not a WebAssembly module (no \\0asm magic)');
  const wanted = Buffer.from(name, 'utf8');
  let found: Buffer | undefined;
  let count = 0;
  let at = 8;
  while (at < module.length) {
    if (++count > MAX_WASM_SECTIONS)
      throw new OciError('TOO_LARGE', `The WebAssembly module has more than ${MAX_WASM_SECTIONS} sections; it is not read`);
    const id = module[at++];
    const [size, sizeEnd] = leb128(module, at);
    const end = sizeEnd + size;
    if (end > module.length) throw new OciError('PROTOCOL', 'The WebAssembly module ends inside a section');
    if (id === 0) {
      const [nameLength, nameStart] = leb128(module, sizeEnd);
      const nameEnd = nameStart + nameLength;
      if (nameEnd > end) throw new OciError('PROTOCOL', 'A custom section name runs past its section');
      if (nameLength === wanted.length && module.compare(wanted, 0, wanted.length, nameStart, nameEnd) === 0)
        found = module.subarray(nameEnd, end);
    }
    at = end;
  }
  return found;
}

function leb128(bytes: Buffer, start: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (let at = start; at < bytes.length && shift < 35; at++) {
    value += (bytes[at] & 0x7f) * 2 ** shift;
    if ((bytes[at] & 0x80) === 0) return [value, at + 1];
    shift += 7;
  }
  throw new OciError('PROTOCOL', 'The WebAssembly module has a malformed length');
}
