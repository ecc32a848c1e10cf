/** Unpadded base64url, as JWS uses (RFC 7515 §2). Decoding is strict: padding or `+/` is an error. */
export function toBase64Url(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString('base64url');
}

export function fromBase64Url(text: unknown, what: string): Buffer {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text)) throw new Error(`${what} is not unpadded base64url`);
  return Buffer.from(text, 'base64url');
}

/** Standard base64 with padding, strict (Go's StdEncoding rejects anything else). */
export function fromStdBase64(text: unknown, what: string): Buffer {
  if (typeof text !== 'string' || !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text))
    throw new Error(`${what} is not standard base64`);
  return Buffer.from(text, 'base64');
}
