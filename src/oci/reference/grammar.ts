/** Grammars from the OCI distribution spec and image-spec descriptor.md. */
export const REPOSITORY_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
export const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
export const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
/** Encoded lengths of the registered algorithms; their encoding is lowercase hex. */
export const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha512: 128 };
/** Docker's limit on registry host plus repository name, which many registries enforce. */
export const MAX_NAME_LENGTH = 255;
