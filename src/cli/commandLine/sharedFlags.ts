import { parsedFlag, repeatedFlag, switchFlag, valueFlag, wholeNumber } from './flag';

// Flags several commands take, declared once; a command may explain one for its own use (explained()).

export const json = switchFlag('json', 'Machine-readable output: one JSON document on stdout');

export const pageSize = parsedFlag('page-size', '<n>', 'Page size requested from the registry (default 1000)', (raw) => {
  return wholeNumber('page-size', 1, 10_000)(raw) ?? 1000;
});

export const tag = repeatedFlag('tag', '<tag>', 'Also tag the artifact with this (repeatable)', { short: 't' });

export const force = switchFlag('force', 'Replace what is already there');

/** push: the artifact layout; validate: the report's. Each command checks the names it knows. */
export const format = valueFlag('format', '<format>', 'The output format');

/** sign: one cosign.key; verify: any number of cosign.pub. */
export const key = repeatedFlag('key', '<path>', 'A cosign key file');
