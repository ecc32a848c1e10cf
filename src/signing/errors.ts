/**
 * Every failure of the signing core is a SigningError: a message that says what failed and where,
 * and a hint that says what the user can do. Messages never carry key material or passwords.
 */
export type SigningErrorCode =
  | 'KEY_INVALID'
  | 'WRONG_PASSWORD'
  | 'KEY_UNSUPPORTED'
  | 'CERTIFICATE_INVALID'
  | 'TRUST_INVALID'
  | 'SIGNATURE_INVALID'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'NOT_VERIFIED';

export class SigningError extends Error {
  readonly code: SigningErrorCode;
  readonly hint?: string;

  constructor(code: SigningErrorCode, message: string, hint?: string) {
    super(hint ? `${message}. ${hint}` : message);
    this.name = 'SigningError';
    this.code = code;
    this.hint = hint;
  }
}

export function isSigningError(error: unknown, code?: SigningErrorCode): error is SigningError {
  return error instanceof SigningError && (code === undefined || error.code === code);
}
