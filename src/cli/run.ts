import { isArtifactError } from '../artifact/errors';
import { isClusterError } from '../clusters/errors';
import { isOciError } from '../oci/errors';
import { isSigningError } from '../signing/errors';
import { line, printError, type CliIo } from './io';
import { COMMANDS } from './commandLine/commands';
import { helpFor } from './commandLine/help';
import { parseCommandLine } from './commandLine/parse';
import { UsageError } from './usage';

export interface RunOptions {
  /** Called once the command's modules are loaded, just before it runs (dist/cli.js tunes V8 there). */
  beforeCommand?: () => void;
}

/** Runs the CLI and returns its exit code: 0 success, 1 operation failed (diff: 2), 2 usage error. */
export async function runCli(argv: string[], io: CliIo, options: RunOptions = {}): Promise<number> {
  let failed = 1;
  try {
    const parsed = parseCommandLine(argv);
    const help = helpFor(parsed, COMMANDS);
    if (help !== undefined) {
      io.stdout.write(help);
      return 0;
    }
    if (!parsed.command) throw new UsageError('no command given');
    const declared = COMMANDS.find((c) => c.name === parsed.command);
    if (!declared) throw new UsageError(`unknown command "${parsed.command}"`);
    failed = declared.failureExitCode ?? 1;
    // Each command is loaded when it runs, with only the modules it imports: `tags` never reads the
    // validator or the signing code, and the help (from the declarations alone) reads no command.
    const run = await declared.load();
    options.beforeCommand?.();
    // The parser read exactly this command's flags, each as it declares.
    return (await run(parsed.positionals, parsed.options as never, io)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      line(io.stderr, `oci-gitops: ${error.message}`);
      line(io.stderr, 'Run "oci-gitops --help" for usage.');
      return 2;
    }
    if (isOciError(error) || isSigningError(error) || isArtifactError(error) || isClusterError(error)) {
      printError(io.stderr, error.message);
      return failed;
    }
    line(io.stderr, `oci-gitops: unexpected error: ${(error as Error)?.stack ?? String(error)}`);
    return failed;
  }
}
