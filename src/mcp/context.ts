import type { OciClient } from '../oci';
import type { SecretWatch } from './secrets';

/** What the server's tools work with; the CLI and the VS Code adapter each build one. */
export interface McpContext {
  /** The user's own registry access: their Docker config, keychain sign-ins and registry settings. */
  client: OciClient;
  /** The credentials `client` uses, so no result carries one out. */
  secrets: SecretWatch;
  /** Write tools (push, sign, copy, delete) are offered only when the user started the server so. */
  allowWrite: boolean;
  /** Folders the tools may read or push from (the workspace); paths outside them are refused. */
  roots: string[];
  /** The server's environment: COSIGN_PASSWORD for signing, read here and never taken as an argument. */
  env: NodeJS.ProcessEnv;
  version: string;
}
