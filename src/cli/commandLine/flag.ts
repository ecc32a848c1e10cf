import { UsageError } from '../usage';

/** What node:util parseArgs hands over for one flag: a switch, a value, or every value of a repeated flag. */
export type RawValue = string | boolean | string[] | undefined;

/**
 * One flag of the command line, declared once with everything about it: how it is spelled, the
 * value it takes, the help shown for it, and how its raw text becomes the value a command reads.
 */
export interface Flag<N extends string = string, V = unknown> {
  readonly name: N;
  readonly short?: string;
  readonly type: 'string' | 'boolean';
  /** Repeatable: every occurrence is kept, in order. */
  readonly multiple?: boolean;
  /** The value's placeholder in the help, e.g. `<path>`; a switch has none. */
  readonly value?: string;
  readonly help: string;
  /** The raw text to the command's value; throws a UsageError for a value the flag cannot take. */
  readonly read: (raw: RawValue) => V;
  /** Run once every flag of the command is read: a rule between this flag and others. */
  readonly check?: (options: Readonly<Record<string, unknown>>) => void;
}

/** Flags shown together under one heading of a command's help (the registry options, one side of a copy). */
export interface FlagGroup<F extends Flag = Flag> {
  readonly title: string;
  readonly flags: readonly F[];
}

export type FlagItem = Flag | FlagGroup;

type FlagsIn<I> = I extends FlagGroup<infer F> ? F : I extends Flag ? I : never;

/** The values a command's run receives: one property per flag, named as the flag is (`options['page-size']`). */
export type Options<L extends readonly FlagItem[]> = {
  readonly [F in FlagsIn<L[number]> | typeof help as F['name']]: ReturnType<F['read']>;
};

export function isGroup(item: FlagItem): item is FlagGroup {
  return 'flags' in item;
}

/** Every flag of a list, groups opened, in the order the help shows them. */
export function flagsOf(items: readonly FlagItem[]): Flag[] {
  return items.flatMap((item) => (isGroup(item) ? [...item.flags] : [item]));
}

export function switchFlag<N extends string>(name: N, help: string, extra: Pick<Flag, 'short' | 'check'> = {}): Flag<N, boolean> {
  return { name, type: 'boolean', help, read: (raw) => raw === true, ...extra };
}

export function valueFlag<N extends string>(
  name: N,
  value: string,
  help: string,
  extra: Pick<Flag, 'short' | 'check'> = {},
): Flag<N, string | undefined> {
  return { name, type: 'string', value, help, read: (raw) => raw as string | undefined, ...extra };
}

/** A flag whose value is converted (and checked) as it is read. */
export function parsedFlag<N extends string, V>(
  name: N,
  value: string,
  help: string,
  parse: (raw: string | undefined) => V,
  extra: Pick<Flag, 'short' | 'check'> = {},
): Flag<N, V> {
  return { name, type: 'string', value, help, read: (raw) => parse(raw as string | undefined), ...extra };
}

/** A repeated flag whose values are converted (and checked) together as they are read. */
export function parsedRepeatedFlag<N extends string, V>(
  name: N,
  value: string,
  help: string,
  parse: (raw: string[]) => V,
  extra: Pick<Flag, 'short' | 'check'> = {},
): Flag<N, V> {
  return { name, type: 'string', multiple: true, value, help, read: (raw) => parse((raw as string[] | undefined) ?? []), ...extra };
}

export function repeatedFlag<N extends string>(
  name: N,
  value: string,
  help: string,
  extra: Pick<Flag, 'short' | 'check'> = {},
): Flag<N, string[]> {
  return { name, type: 'string', multiple: true, value, help, read: (raw) => (raw as string[] | undefined) ?? [], ...extra };
}

/** The same flag, explained for one command's use of it (`--tag` on a push and on a copy). */
export function explained<F extends Flag>(flag: F, help: string): F {
  return { ...flag, help };
}

/** A whole number within bounds, or the usage error that says which. */
export function wholeNumber(
  flag: string,
  min: number,
  max: number,
  unit = 'a whole number',
): (raw: string | undefined) => number | undefined {
  return (raw) => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${flag} takes ${unit} from ${min} to ${max}`);
    return n;
  };
}

/** Taken by every command: it shows that command's help instead of running it. */
export const help = switchFlag('help', 'Show this help', { short: 'h' });
