import { UsageError } from '../usage';
import type { CommandLine } from './command';
import { help, isGroup, type Flag } from './flag';
import type { ParsedCommand } from './parse';

const WIDTH = 100;
/** Where the help of a flag or the summary of a command starts. */
const COLUMN = 34;

const EXIT_CODES = '0 success, 1 the operation failed (bad reference, not found, denied), 2 usage error';
const CLOSED_PIPE = 'A reader that closes the output early (| head) ends the command quietly with 141, as a process a SIGPIPE ends.';

/** The help a command line asks for (`--help`, `<command> --help`, `help [<command>]`), or undefined when it asks for none. */
export function helpFor(parsed: ParsedCommand, commands: readonly CommandLine[]): string | undefined {
  let asked: string | undefined;
  if (parsed.command === 'help') asked = parsed.positionals[0];
  else if (parsed.options.help) asked = parsed.command;
  else return undefined;
  if (asked === undefined) return globalUsage(commands);
  const command = commands.find((c) => c.name === asked);
  if (!command) throw new UsageError(`unknown command "${asked}"`);
  return commandHelp(command);
}

/** `oci-gitops --help`: every command with its summary. */
export function globalUsage(commands: readonly CommandLine[]): string {
  const lines = ['Usage: oci-gitops <command> [options]', '', 'Commands:'];
  for (const command of commands) lines.push(...entry(`${command.name} ${command.synopsis}`.trimEnd(), command.summary));
  lines.push(
    '',
    'Options:',
    ...entry('-h, --help', "Show this help; with a command, that command's flags and examples"),
    '',
    'Run "oci-gitops <command> --help" or "oci-gitops help <command>" for a command\'s flags and examples.',
    '',
    ...wrap(
      `Exit codes: ${[EXIT_CODES, ...commands.filter((c) => c.exitCodes).map((c) => `${c.name}: ${c.exitCodes}`)].join('; ')}. ${CLOSED_PIPE}`,
      WIDTH,
      '',
    ),
  );
  return `${lines.join('\n')}\n`;
}

/** `oci-gitops <command> --help`: synopsis, description, every flag with its help, examples. */
export function commandHelp(command: CommandLine): string {
  const usage = ['Usage: oci-gitops', command.name, command.synopsis, '[options]'].filter((part) => part !== '');
  const lines = [usage.join(' '), ''];
  lines.push(...wrap(command.description, WIDTH, ''), '');
  const own = command.flags.filter((item): item is Flag => !isGroup(item));
  lines.push('Options:', ...[...own, help].flatMap(flagEntry));
  for (const group of command.flags.filter(isGroup)) lines.push('', `${group.title}:`, ...group.flags.flatMap(flagEntry));
  if (command.examples.length > 0) {
    lines.push('', 'Examples:');
    command.examples.forEach((example, i) => {
      if (i > 0) lines.push('');
      lines.push(...wrap(example.about, WIDTH, '  # '), `  ${example.line}`);
    });
  }
  lines.push('', ...wrap(`Exit codes: ${command.exitCodes ?? EXIT_CODES}. ${CLOSED_PIPE}`, WIDTH, ''));
  return `${lines.join('\n')}\n`;
}

function flagEntry(flag: Flag): string[] {
  const spelling = `${flag.short ? `-${flag.short}, ` : '    '}--${flag.name}${flag.value ? ` ${flag.value}` : ''}`;
  return entry(spelling, flag.help);
}

/** A name and its text in two columns; a name too wide for its column puts the text on the next lines. */
function entry(name: string, text: string): string[] {
  const label = `  ${name}`;
  const body = wrap(text, WIDTH - COLUMN, '');
  if (label.length < COLUMN - 1) return [`${label.padEnd(COLUMN)}${body[0]}`, ...body.slice(1).map((l) => `${' '.repeat(COLUMN)}${l}`)];
  return [label, ...body.map((l) => `${' '.repeat(COLUMN)}${l}`)];
}

function wrap(text: string, width: number, prefix: string): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let current = '';
    for (const word of paragraph.split(' ')) {
      if (current && current.length + 1 + word.length > width - prefix.length) {
        lines.push(`${prefix}${current}`);
        current = word;
      } else current = current ? `${current} ${word}` : word;
    }
    lines.push(`${prefix}${current}`);
  }
  return lines;
}
