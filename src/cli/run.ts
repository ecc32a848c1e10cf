import { isArtifactError } from '../artifact/errors';
import { isOciError } from '../oci/errors';
import { isSigningError } from '../signing/errors';
import { line, printError, type CliIo } from './io';
import { parseCommandLine, type CommonOptions } from './options';
import { USAGE, UsageError } from './usage';

/** A command resolves to its exit code, or to nothing for 0. */
type Command = (positionals: string[], options: CommonOptions, io: CliIo) => Promise<number | void>;

/**
 * Each command is loaded when it runs, with only the modules it imports: `tags` never reads the
 * validator or the signing code, `--help` reads no command at all.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  repos: async () => (await import('./commands/repos.js')).reposCommand,
  tags: async () => (await import('./commands/tags.js')).tagsCommand,
  inspect: async () => (await import('./commands/inspect.js')).inspectCommand,
  push: async () => (await import('./commands/push.js')).pushCommand,
  pull: async () => (await import('./commands/pull.js')).pullCommand,
  diff: async () => (await import('./commands/diff.js')).diffCommand,
  copy: async () => (await import('./commands/copy.js')).copyCommand,
  keygen: async () => (await import('./commands/keygen.js')).keygenCommand,
  sign: async () => (await import('./commands/sign.js')).signCommand,
  verify: async () => (await import('./commands/verify.js')).verifyCommand,
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  mcp: async () => (await import('./commands/mcp.js')).mcpCommand,
};

export interface RunOptions {
  /** Called once the command's modules are loaded, just before it runs (dist/cli.js tunes V8 there). */
  beforeCommand?: () => void;
}

/**
 * A command whose 1 is an answer rather than a failure fails with 2 instead: `diff`, like diff(1),
 * `git diff --exit-code` and `flux diff artifact`, exits 1 when the artifacts differ.
 */
const FAILURE_EXIT_CODE: Record<string, number> = { diff: 2 };

/** Runs the CLI and returns its exit code: 0 success, 1 operation failed (diff: 2), 2 usage error. */
export async function runCli(argv: string[], io: CliIo, options: RunOptions = {}): Promise<number> {
  let failed = 1;
  try {
    const parsed = parseCommandLine(argv);
    if (parsed.options.help || parsed.command === 'help') {
      io.stdout.write(USAGE);
      return 0;
    }
    if (!parsed.command) throw new UsageError('no command given');
    const load = Object.hasOwn(COMMANDS, parsed.command) ? COMMANDS[parsed.command] : undefined;
    if (!load) throw new UsageError(`unknown command "${parsed.command}"`);
    failed = FAILURE_EXIT_CODE[parsed.command] ?? 1;
    const command = await load();
    options.beforeCommand?.();
    return (await command(parsed.positionals, parsed.options, io)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      line(io.stderr, `oci-gitops: ${error.message}`);
      line(io.stderr, 'Run "oci-gitops --help" for usage.');
      return 2;
    }
    if (isOciError(error) || isSigningError(error) || isArtifactError(error)) {
      printError(io.stderr, error.message);
      return failed;
    }
    line(io.stderr, `oci-gitops: unexpected error: ${(error as Error)?.stack ?? String(error)}`);
    return failed;
  }
}
