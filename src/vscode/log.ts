import * as vscode from 'vscode';
import type { Logger } from '../oci';

/** The core's Logger on VS Code's log output channel (levels follow the user's log level). */
export function createLog(): { channel: vscode.LogOutputChannel; logger: Logger } {
  const channel = vscode.window.createOutputChannel('OCI GitOps', { log: true });
  return {
    channel,
    logger: {
      debug: (m) => channel.debug(m),
      info: (m) => channel.info(m),
      warn: (m) => channel.warn(m),
      error: (m) => channel.error(m),
    },
  };
}
