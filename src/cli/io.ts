import type { Readable, Writable } from 'node:stream';

/** The streams a command talks through, injectable so tests can run the CLI in-process. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  env: NodeJS.ProcessEnv;
}

/**
 * Characters a terminal acts on instead of showing: C0 controls (ESC starts colour, cursor and
 * title sequences; CR and LF rewrite or forge lines), DEL, C1 controls (U+009B is a one-byte CSI),
 * and the Unicode bidirectional overrides and line separators that reorder or break what is shown.
 */

const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** What JSON.stringify leaves raw (it escapes C0 controls inside strings; its own newlines are layout). */
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const CONTROLS_BUT_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escape(char: string): string {
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Untrusted text for the terminal: tags, annotations, media types, file names from archives,
 * messages that quote a registry. Every control character, newlines included, is shown as an
 * escape, so a registry string cannot fake a line ("Digest: … (verified)") or drive the terminal.
 */
export function terminalText(text: string): string {
  return text.replace(CONTROLS, escape);
}

/** Text we laid out ourselves (lines, tabs) but that may hold untrusted parts: file contents in a diff. */
export function terminalLines(text: string): string {
  return text.replace(CONTROLS_BUT_LAYOUT, escape);
}

/** Writes one line; whatever control characters reach it besides newlines and tabs are escaped. */
export function line(stream: Writable, text = ''): void {
  stream.write(`${terminalLines(text)}\n`);
}

/** JSON output: JSON.stringify escapes C0 controls; C1 controls and bidi overrides are escaped too. */
export function printJson(stream: Writable, value: unknown): void {
  stream.write(
    `${JSON.stringify(value, null, 2).replace(JSON_UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`,
  );
}

/** One line for an error: its message is untrusted (it may quote the registry) and kept on one line. */
export function printError(stream: Writable, message: string): void {
  line(stream, `oci-gitops: ${terminalText(message)}`);
}

export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
