import * as vscode from 'vscode';
import { guarded, type CommandHandler } from './commandFailure';

/**
 * The one way the extension registers a command: every command gets the same error handling, log
 * line and "Show Log" action (commandFailure.ts, beside it). Small on purpose: activation imports it.
 */
export function registerCommand(id: string, handler: CommandHandler, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(
    id,
    guarded(id, handler, { log, showError: (message, ...actions) => vscode.window.showErrorMessage(message, ...actions) }),
  );
}
