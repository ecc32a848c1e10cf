// dist/cli.js, the `oci-gitops` command. It is a small CommonJS file that answers --help by itself
// (Node starts no ES module loader for it); any other command line goes to the program, an ES module
// beside it (dist/cli.mjs, from run.ts) that loads only the command it runs.
import { existsSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { CliIo } from './io';
import { COMMANDS } from './commandLine/commands';
import { helpFor } from './commandLine/help';
import { parseCommandLine } from './commandLine/parse';
import type * as Program from './run';

const argv = process.argv.slice(2);

/**
 * `oci-gitops tags … | head -1`: once the reader has what it wants it closes the pipe, and the next
 * write fails with EPIPE. git and grep are ended by the SIGPIPE that comes with it and the shell
 * reports 128 + 13; Node ignores that signal, so the CLI ends itself the same way: no message (there
 * is no one to read it), status 141. Nothing is left half-done that a signal would not leave too.
 */
function endOnClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE') process.exit(141);
  throw error;
}
process.stdout.on('error', endOnClosedPipe);
process.stderr.on('error', endOnClosedPipe);
const io: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };

/** The help asked for: the command declarations hold it, so no command's implementation is loaded. */
function helpAskedFor(): string | undefined {
  try {
    return helpFor(parseCommandLine(argv), COMMANDS);
  } catch {
    return undefined; // the program reports the usage error
  }
}

const help = helpAskedFor();
if (help !== undefined) {
  process.stdout.write(help);
} else {
  // Node's compile cache keeps V8's code for the bundles between runs (in the system temp folder;
  // NODE_DISABLE_COMPILE_CACHE=1 turns it off): a CLI run then compiles only what changed.
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  // Not a literal: the bundler must leave this import to run time. Beside the bundle it is the ES
  // module program; run from the TypeScript output (out/src/cli/main.js), it is run.js.
  const program = existsSync(join(__dirname, 'cli.mjs')) ? './cli.mjs' : './run.js';
  (import(program) as Promise<typeof Program>)
    .then(({ runCli }) => runCli(argv, io, { beforeCommand: noBackgroundWasmOptimisation }))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        process.stderr.write(`oci-gitops: ${String(error)}\n`);
        process.exitCode = 1;
      },
    );
}

/**
 * Once undici's HTTP parser (WebAssembly) is hot, V8 optimises it on a background thread, and the
 * process waits for that before it may exit: about 70 ms of a 130 ms `inspect` here. A CLI run is
 * too short to gain from it, so the baseline compiler keeps the parser. The flag is set only once
 * the command's modules are loaded: changing V8's flags makes it refuse the compiled code it keeps
 * for Node's own modules, which would cost more than it saves if they were still to be loaded.
 */
function noBackgroundWasmOptimisation(): void {
  setFlagsFromString('--liftoff-only');
}
