import type * as vscode from 'vscode';
import { errorMessage } from '../../text/format';

/** The action every failed command offers: it reveals the OCI GitOps log. */
export const SHOW_LOG = 'Show Log';

/** Where a failed command is reported: the log channel, and the editor's error notification. */
export interface FailureReport {
  log: Pick<vscode.LogOutputChannel, 'error' | 'debug' | 'show'>;
  showError(message: string, ...actions: string[]): Thenable<string | undefined>;
}

// VS Code hands commands untyped arguments (tree nodes, URIs, strings); each handler names what it takes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandHandler = (...args: any[]) => unknown;

/**
 * A command handler with the same failure handling as every other: a failure is one error line in
 * the log and one notification with a "Show Log" action; a cancellation (the user pressed Cancel or
 * Escape, an aborted request) is not a failure and is only noted at debug level.
 * (No `vscode` import at run time: activation holds this, and a test runs it in plain Node.)
 */
export function guarded(id: string, handler: CommandHandler, report: FailureReport): CommandHandler {
  return async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (isCancellation(error)) {
        report.log.debug(`${id} was cancelled`);
        return undefined;
      }
      const message = errorMessage(error);
      report.log.error(`${id} failed: ${message}`);
      void Promise.resolve(report.showError(message, SHOW_LOG)).then((choice) => {
        if (choice === SHOW_LOG) report.log.show(true);
      });
      return undefined;
    }
  };
}

/**
 * What a command throws to end with a failure the wrapper reports: `what` says what could not be
 * done, the cause why. A cancellation is passed on unchanged, so it stays silent.
 */
export function failure(what: string, cause: unknown): unknown {
  if (isCancellation(cause)) return cause;
  return new Error(`${what}: ${errorMessage(cause)}`, { cause });
}

/**
 * VS Code's CancellationError (name "Canceled"), an AbortSignal's AbortError, and the OCI core's
 * OciError with code CANCELLED, recognised by shape so activation does not load those modules.
 */
export function isCancellation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'Canceled' || name === 'AbortError' || code === 'CANCELLED' || code === 'ABORT_ERR';
}
