// dist/cli.js, the `oci-gitops` command. It is a small CommonJS file that answers --help by itself
// (Node starts no ES module loader for it); any other command line goes to the program, an ES module
// beside it (dist/cli.mjs, from run.ts) that loads only the command it runs.
import * as nodeModule from 'node:module';
import { setFlagsFromString } from 'node:v8';
import type { CliIo } from './io';
import { parseCommandLine } from './options';
import type * as Program from './run';
import { USAGE } from './usage';

const argv = process.argv.slice(2);
const io: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };

function asksForHelp(): boolean {
  try {
    const parsed = parseCommandLine(argv);
    return parsed.options.help || parsed.command === 'help';
  } catch {
    return false; // the program reports the usage error
  }
}

if (asksForHelp()) {
  process.stdout.write(USAGE);
} else {
  startQuickly();
  // A variable, not a literal: the bundler must leave this import to run time.
  const program: string = './cli.mjs';
  (import(program) as Promise<typeof Program>).then(({ runCli }) => runCli(argv, io)).then(
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
 * A CLI run is short, so two things Node does for long-lived processes only slow it down:
 * - compiling the same bundles again on every run: Node 22's compile cache keeps V8's code for them
 *   (in the system temp folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off);
 * - optimising undici's HTTP parser (WebAssembly) in the background once it is hot, which the
 *   process then waits for before it may exit (about 60 ms here); the baseline compiler parses
 *   registry responses just as well for a run this short.
 */
function startQuickly(): void {
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  setFlagsFromString('--liftoff-only');
}
