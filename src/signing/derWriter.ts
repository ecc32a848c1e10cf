/**
 * The few DER encodings an X.509 certificate needs (X.690). Only what testCertificate.ts uses;
 * reading certificates goes through @sigstore/core's ASN.1 parser instead.
 */
function tlv(tag: number, content: Buffer): Buffer {
  const length = content.length;
  let header: Buffer;
  if (length < 0x80) header = Buffer.from([tag, length]);
  else {
    const bytes: number[] = [];
    for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([header, content]);
}

export const der = {
  sequence: (...items: Buffer[]) => tlv(0x30, Buffer.concat(items)),
  set: (...items: Buffer[]) => tlv(0x31, Buffer.concat(items)),
  /** A non-negative integer from big-endian bytes (a leading zero is added when the top bit is set). */
  integer(bytes: Buffer | number): Buffer {
    let b = typeof bytes === 'number' ? Buffer.from([bytes]) : bytes;
    let start = 0;
    while (start < b.length - 1 && b[start] === 0 && !(b[start + 1] & 0x80)) start++;
    b = b.subarray(start);
    return tlv(0x02, b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
  },
  boolean: (value: boolean) => tlv(0x01, Buffer.from([value ? 0xff : 0x00])),
  oid(dotted: string): Buffer {
    const parts = dotted.split('.').map(Number);
    const bytes: number[] = [parts[0] * 40 + parts[1]];
    for (const part of parts.slice(2)) {
      const chunk: number[] = [part & 0x7f];
      for (let n = Math.floor(part / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift((n & 0x7f) | 0x80);
      bytes.push(...chunk);
    }
    return tlv(0x06, Buffer.from(bytes));
  },
  octetString: (content: Buffer) => tlv(0x04, content),
  /** A BIT STRING of whole bytes. */
  bitString: (content: Buffer, unusedBits = 0) => tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), content])),
  utf8String: (text: string) => tlv(0x0c, Buffer.from(text, 'utf8')),
  printableString: (text: string) => tlv(0x13, Buffer.from(text, 'ascii')),
  /** UTCTime before 2050, GeneralizedTime from 2050 on (RFC 5280 §4.1.2.5). */
  time(date: Date): Buffer {
    const iso = date.toISOString();
    const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
    return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${digits}Z`));
  },
  /** [n] EXPLICIT */
  explicit: (n: number, content: Buffer) => tlv(0xa0 | n, content),
};
