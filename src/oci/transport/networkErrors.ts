import { OciError } from '../errors';
import { networkCode } from './retry';

const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
  'CERT_NOT_YET_VALID',
]);

/** True when the peer does not speak TLS at all (a plain-HTTP registry answering a TLS hello). */
export function isTlsProtocolMismatch(error: unknown): boolean {
  const code = networkCode(error) ?? '';
  const message = String((error as Error)?.message ?? '') + String((error as { cause?: Error })?.cause?.message ?? '');
  return code === 'EPROTO' || code.startsWith('ERR_SSL_') || /wrong version number|packet length too long/i.test(message);
}

/** Turns a failure below HTTP into an OciError that says what to check. */
export function networkError(
  error: unknown,
  registry: string,
  idleMs: number,
  tried: { attempts: number; elapsedMs: number } = { attempts: 1, elapsedMs: idleMs },
): OciError {
  if (error instanceof OciError) return error;
  const code = networkCode(error) ?? '';
  const detail = (error as Error)?.message ?? String(error);
  if (CERTIFICATE_CODES.has(code)) {
    return new OciError('TLS', `The TLS certificate of ${registry} is not trusted (${code})`, {
      registry,
      cause: error,
      hint: 'If the registry uses a private CA, set caFile for it in the registry settings (or --ca-file in the CLI)',
    });
  }
  if (isTlsProtocolMismatch(error)) {
    return new OciError('TLS', `Could not establish TLS with ${registry} (${detail})`, {
      registry,
      cause: error,
      hint: 'If the registry serves plain HTTP, mark it insecure in the registry settings (or --insecure in the CLI)',
    });
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    // Say what really happened: each attempt waited up to the timeout, and there may have been several.
    const attempts = tried.attempts === 1 ? '1 attempt' : `${tried.attempts} attempts`;
    return new OciError(
      'TIMEOUT',
      `${registry} did not answer: ${attempts} over ${Number((tried.elapsedMs / 1000).toFixed(1))} s, each waiting up to ${Number((idleMs / 1000).toFixed(1))} s`,
      {
        registry,
        cause: error,
        hint: 'Check the network or raise the request timeout in the settings',
      },
    );
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new OciError('NETWORK', `Registry ${registry} is unreachable (${code})`, {
      registry,
      cause: error,
      hint: 'Check the registry address and that it is running, then retry',
    });
  }
  const retried = tried.attempts > 1 ? ` after ${tried.attempts} attempts over ${Math.round(tried.elapsedMs / 1000)} s` : '';
  return new OciError('NETWORK', `Network error talking to ${registry}${retried}: ${detail}${code ? ` (${code})` : ''}`, {
    registry,
    cause: error,
    hint: 'Retry; if it persists, check the network or proxy',
  });
}
