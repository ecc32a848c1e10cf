import { isOciError } from '../oci';
import { copyCommand } from './commands/copy';
import { diffCommand } from './commands/diff';
import { inspectCommand } from './commands/inspect';
import { pullCommand } from './commands/pull';
import { pushCommand } from './commands/push';
import { reposCommand } from './commands/repos';
import { tagsCommand } from './commands/tags';
import { keygenCommand } from './commands/keygen';
import { signCommand } from './commands/sign';
import { validateCommand } from './commands/validate';
import { verifyCommand } from './commands/verify';
import { isSigningError } from '../signing';
import { line, printError, type CliIo } from './io';
import { parseCommandLine, type CommonOptions } from './options';
import { USAGE, UsageError } from './usage';

/** A command resolves to its exit code, or to nothing for 0. */
type Command = (positionals: string[], options: CommonOptions, io: CliIo) => Promise<number | void>;

const COMMANDS: Record<string, Command> = {
  repos: reposCommand,
  tags: tagsCommand,
  inspect: inspectCommand,
  push: pushCommand,
  pull: pullCommand,
  diff: diffCommand,
  copy: copyCommand,
  keygen: keygenCommand,
  sign: signCommand,
  verify: verifyCommand,
  validate: validateCommand,
};

/** Runs the CLI and returns its exit code: 0 success, 1 operation failed, 2 usage error. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const parsed = parseCommandLine(argv);
    if (parsed.options.help || parsed.command === 'help') {
      io.stdout.write(USAGE);
      return 0;
    }
    if (!parsed.command) throw new UsageError('no command given');
    const command = COMMANDS[parsed.command];
    if (!command) throw new UsageError(`unknown command "${parsed.command}"`);
    return (await command(parsed.positionals, parsed.options, io)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      line(io.stderr, `oci-gitops: ${error.message}`);
      line(io.stderr, 'Run "oci-gitops --help" for usage.');
      return 2;
    }
    if (isOciError(error) || isSigningError(error)) {
      printError(io.stderr, error.message);
      return 1;
    }
    line(io.stderr, `oci-gitops: unexpected error: ${(error as Error)?.stack ?? String(error)}`);
    return 1;
  }
}
