/** PEM blocks: what cosign, notation and openssl write keys and certificates as. */
export interface PemBlock {
  type: string;
  der: Buffer;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** Every PEM block in `text`, in order. Headers (Proc-Type etc.) are not supported: cosign writes none. */
export function parsePem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const body = match[2].replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) continue;
    blocks.push({ type: match[1], der: Buffer.from(body, 'base64') });
  }
  return blocks;
}

/** Encodes as Go's pem.Encode does: 64-column standard base64. */
export function toPem(type: string, der: Uint8Array): string {
  const body = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN ${type}-----\n${body}\n-----END ${type}-----\n`;
}
