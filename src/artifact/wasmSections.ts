import { OciError } from '../oci';

/**
 * The custom sections of a WebAssembly module (binary format: the `\0asm` magic, version 1, then
 * sections of an id byte and a LEB128 length). Only section headers are walked and custom section
 * payloads sliced out: nothing of the module is compiled or run.
 */
export function wasmCustomSections(module: Buffer): Map<string, Buffer> {
  if (module.length < 8 || module.readUInt32BE(0) !== 0x0061736d)
    throw new OciError('PROTOCOL', 'The layer is not a WebAssembly module (no \\0asm magic)');
  const sections = new Map<string, Buffer>();
  let at = 8;
  while (at < module.length) {
    const id = module[at++];
    const [size, sizeEnd] = leb128(module, at);
    const end = sizeEnd + size;
    if (end > module.length) throw new OciError('PROTOCOL', 'The WebAssembly module ends inside a section');
    if (id === 0) {
      const [nameLength, nameStart] = leb128(module, sizeEnd);
      if (nameStart + nameLength > end) throw new OciError('PROTOCOL', 'A custom section name runs past its section');
      sections.set(module.toString('utf8', nameStart, nameStart + nameLength), module.subarray(nameStart + nameLength, end));
    }
    at = end;
  }
  return sections;
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
