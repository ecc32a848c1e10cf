import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../usage';
import { errorMessage } from '../../text/format';
import type { CommandLine } from './command';
import { COMMANDS } from './commands';
import { flagsOf, help, type Flag } from './flag';

export interface ParsedCommand {
  command?: string;
  positionals: string[];
  /** The values of the command's flags by flag name, each read as its flag says; just `help` for an unknown command. */
  options: Readonly<Record<string, unknown>> & { readonly help: boolean };
}

/**
 * Parses a command line against the flags of every command, so that a flag another command takes
 * is reported as "<command> does not take --<flag>" rather than silently ignored or unknown
 * (`tags --json` would otherwise print plain lines to a script expecting JSON).
 */
export function parseCommandLine(argv: string[], commands: readonly CommandLine[] = COMMANDS): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, tokens: true, options: parserOptions(commands) });
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
  const [command, ...positionals] = parsed.positionals;
  const raw = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const declared = commands.find((c) => c.name === command);
  if (raw.help === true || !declared) return { command, positionals, options: { help: raw.help === true } };
  const flags = [...flagsOf(declared.flags), help];
  const taken = new Set(flags.map((flag) => flag.name));
  const extra = parsed.tokens.find((token) => token.kind === 'option' && !taken.has(token.name));
  if (extra?.kind === 'option') throw new UsageError(`${declared.name} does not take --${extra.name}`);
  const options: Record<string, unknown> = {};
  for (const flag of flags) options[flag.name] = flag.read(raw[flag.name]);
  for (const flag of flags) flag.check?.(options);
  return { command, positionals, options: options as ParsedCommand['options'] };
}

/** One parser option per flag name; a name must mean the same kind of value in every command that takes it. */
function parserOptions(commands: readonly CommandLine[]): NonNullable<ParseArgsConfig['options']> {
  const byName = new Map<string, Flag>([[help.name, help]]);
  for (const command of commands) {
    for (const flag of flagsOf(command.flags)) {
      const seen = byName.get(flag.name);
      if (seen && (seen.type !== flag.type || seen.short !== flag.short || seen.multiple !== flag.multiple))
        throw new Error(`--${flag.name} is declared differently by ${command.name} and another command`);
      byName.set(flag.name, flag);
    }
  }
  return Object.fromEntries(
    [...byName.values()].map((flag) => [
      flag.name,
      { type: flag.type, ...(flag.short ? { short: flag.short } : {}), ...(flag.multiple ? { multiple: true } : {}) },
    ]),
  );
}
