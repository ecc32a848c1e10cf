import type { CliIo } from '../io';
import type { FlagItem, Options } from './flag';

/** What a command does with its positionals and flag values: its exit code, or nothing for 0. */
export type Run<L extends readonly FlagItem[]> = (positionals: string[], options: Options<L>, io: CliIo) => Promise<number | void>;

export interface Example {
  /** What the example does, shown as a comment above it. */
  readonly about: string;
  readonly line: string;
}

/** A command as its help shows it; loading it loads none of its implementation. */
export interface CommandLine<L extends readonly FlagItem[] = readonly FlagItem[]> {
  readonly name: string;
  /** What follows the name: the positionals, e.g. `<source> <destination>`. */
  readonly synopsis: string;
  /** One line for the list of commands. */
  readonly summary: string;
  /** What the command does and what it prints, for its own help. */
  readonly description: string;
  /** Its own flags first, then the groups it shares with other commands. */
  readonly flags: L;
  readonly examples: readonly Example[];
  /**
   * A command whose 1 is an answer rather than a failure fails with this instead: `diff`, like
   * diff(1), `git diff --exit-code` and `flux diff artifact`, exits 1 when the artifacts differ.
   */
  readonly failureExitCode?: number;
  /** Its exit codes, when they are not success, failure and usage error: `0 equal, 1 different, 2 error`. */
  readonly exitCodes?: string;
}

/**
 * One command: its declaration (commandLine/<name>.ts) and, behind import(), its implementation
 * (commands/<name>.ts), loaded only when it runs.
 */
export interface Command<L extends readonly FlagItem[] = readonly FlagItem[]> extends CommandLine<L> {
  readonly load: () => Promise<Run<L>>;
}
