import * as vscode from 'vscode';
import { errorMessage } from '../../text/format';
import { registerCommand } from '../commandWrapper/registerCommand';

/**
 * Commands whose module registers them itself (registerSigning, registerValidation). Until that
 * module is loaded a stand-in holds each command: run, it loads the module, steps aside for the
 * real registration, and runs the command again with the same arguments.
 */
export class LazyRegistration implements vscode.Disposable {
  private stubs: vscode.Disposable[];
  private loading?: Promise<void>;

  /** `prepare` loads what the registration needs and returns it, ready to run without waiting. */
  constructor(
    readonly ids: readonly string[],
    private readonly prepare: () => Promise<() => void>,
    private readonly log: vscode.LogOutputChannel,
    private readonly feature: string,
  ) {
    this.stubs = ids.map((id) =>
      registerCommand(
        id,
        async (...args: unknown[]) => {
          await this.load().catch((error: unknown) => {
            throw new Error(`OCI GitOps could not load ${feature}: ${errorMessage(error)}`, { cause: error });
          });
          return vscode.commands.executeCommand(id, ...args);
        },
        log,
      ),
    );
  }

  get loaded(): boolean {
    return this.stubs.length === 0;
  }

  load(): Promise<void> {
    this.loading ??= this.prepare().then(
      (register) => {
        this.dispose();
        register();
        this.log.info(`Loaded ${this.feature}`);
      },
      (error: unknown) => {
        this.loading = undefined;
        this.log.error(`Loading ${this.feature} failed: ${(error as Error).stack ?? String(error)}`);
        throw error;
      },
    );
    return this.loading;
  }

  dispose(): void {
    for (const stub of this.stubs) stub.dispose();
    this.stubs = [];
  }
}
