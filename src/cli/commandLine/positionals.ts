import { UsageError } from '../usage';

/** The positionals a command takes, exactly as many as it names, or the usage error that shows them. */
export function expectPositionals(positionals: string[], names: string[], command: string): string[] {
  if (positionals.length !== names.length) {
    throw new UsageError(
      `${command} takes ${names.map((n) => `<${n}>`).join(' ')}; got ${positionals.length === 0 ? 'nothing' : positionals.join(' ')}`,
    );
  }
  return positionals;
}
