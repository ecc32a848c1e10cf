/**
 * Failures that are about local files rather than a registry: the folder being pushed, the folder
 * an artifact is pulled into, the push settings file. A registry's refusal or malformed answer stays
 * an OciError; these carry their own codes so callers (and the tree) do not take a folder problem
 * for something the registry sent.
 */
export type ArtifactErrorCode =
  /** The path does not exist. */
  | 'NOT_FOUND'
  /** The path is not a folder, or not an empty one where an empty one is needed. */
  | 'FOLDER_INVALID'
  /** A file in the folder cannot go into an artifact: a symbolic link, a special file, a name tar cannot hold. */
  | 'FILE_UNSUPPORTED'
  /** A file changed while it was being packed. */
  | 'FOLDER_CHANGED'
  /** Writing pulled files failed. */
  | 'WRITE_FAILED'
  /** The push settings file (.oci-gitops.yaml) is not valid. */
  | 'CONFIG_INVALID';

export class ArtifactError extends Error {
  readonly code: ArtifactErrorCode;
  readonly hint?: string;

  constructor(code: ArtifactErrorCode, message: string, init: { hint?: string; cause?: unknown } = {}) {
    super(init.hint ? `${message}. ${init.hint}` : message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ArtifactError';
    this.code = code;
    this.hint = init.hint;
  }
}

export function isArtifactError(error: unknown, code?: ArtifactErrorCode): error is ArtifactError {
  return error instanceof ArtifactError && (code === undefined || error.code === code);
}
