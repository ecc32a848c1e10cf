import { isMap, type YAMLMap } from 'yaml';
import { parseManifests } from '../documents';
import { resolveSemver } from '../semver';
import { fetchChartValues, valuesKeysAt, type ValuesKey } from './chartValues';
import type { RegistryAccess, RegistryFacts } from './registryFacts';
import { ociRepository, repositoryText, type ChartRef, type ChartValuesAt, type KeyAt } from '../contract/completionSite';
import { errorMessage } from '../../text/format';

/** A key being typed at the cursor: its indentation, what is typed and the span a choice replaces. */
interface TypedKey {
  indent: number;
  typed: string;
  start: number;
  end: number;
  /** The column of the `- ` the key follows on its own line (the first key of a new list item). */
  itemDash?: number;
}

function typedKeyAt(text: string, offset: number): TypedKey | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEndRaw = text.indexOf('\n', offset);
  const lineEnd = lineEndRaw === -1 ? text.length : lineEndRaw;
  const before = text.slice(lineStart, offset);
  const match = /^( *)(- +)?([A-Za-z0-9_.-]*)$/.exec(before);
  if (!match) return undefined;
  const after = /^[A-Za-z0-9_.-]*/.exec(text.slice(offset, lineEnd))![0];
  const indent = match[1].length + (match[2]?.length ?? 0);
  return {
    indent,
    typed: match[3],
    start: lineStart + indent,
    end: offset + after.length,
    ...(match[2] ? { itemDash: match[1].length } : {}),
  };
}

/**
 * A line of block YAML read as an indent, an optional `- ` and a `key:` (key undefined when there is no
 * colon), as `/^( *)(- +)?([^\s:#][^:#]*?)?\s*(:(\s|$).*)?$/` reads it; undefined when it does not
 * match. The expression backtracks quadratically on a long line of spaces before a `#`; this reads the
 * line once.
 */
export function keyLine(line: string): { indent: number; dash?: string; key?: string } | undefined {
  let indent = 0;
  while (line[indent] === ' ') indent++;
  if (line[indent] === '-' && line[indent + 1] === ' ') {
    let end = indent + 1;
    while (line[end] === ' ') end++;
    const key = keyOf(line, end);
    if (key !== null) return { indent, dash: line.slice(indent, end), key };
  }
  const key = keyOf(line, indent);
  return key === null ? undefined : { indent, key };
}

/** The key from `start` to its colon; undefined without a colon; null when the rest is no `key: …`. */
function keyOf(line: string, start: number): string | undefined | null {
  let stop = start;
  while (stop < line.length && line[stop] !== ':' && line[stop] !== '#') stop++;
  const key = line.slice(start, stop).trimEnd();
  if (key !== '' && key.trimStart() !== key) return null;
  if (stop === line.length) return undefined;
  if (line[stop] === '#') return null;
  const next = line[stop + 1];
  if (next !== undefined && next.trim() !== '') return null;
  return key === '' ? undefined : key;
}

/** The keys above a line by indentation (`-` for a list item), read upwards: half-typed YAML has no parse to ask. */
export function ancestorsAt(text: string, offset: number, indent: number): string[] {
  const ancestors: string[] = [];
  let threshold = indent;
  let end = text.lastIndexOf('\n', offset - 1);
  while (end > 0 && threshold > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end);
    end = start - 1;
    if (/^\s*(#.*)?$/.test(line)) continue;
    const match = keyLine(line);
    if (!match) continue;
    const { indent: lineIndent, dash, key } = match;
    const keyColumn = lineIndent + (dash?.length ?? 0);
    if (line.startsWith('---')) break;
    if (dash && lineIndent < threshold) {
      if (key !== undefined && keyColumn < threshold) ancestors.push(key);
      ancestors.push('-');
      threshold = lineIndent;
    } else if (!dash && key !== undefined && lineIndent < threshold) {
      ancestors.push(key);
      threshold = lineIndent;
    }
  }
  return ancestors.reverse();
}

export interface ValuesAnswer {
  keys: ValuesKey[];
  start: number;
  end: number;
  /** The chart version whose values answered. */
  chart?: string;
  problem?: string;
}

/** The reference a chart selector names now: a digest or tag as is, a range as the controller resolves it. */
async function chartReference(chart: ChartRef, facts: RegistryFacts): Promise<string> {
  if (chart.selector.type !== 'semver') return chart.selector.value;
  const tags = await facts.tags(chart.repo);
  const resolution = resolveSemver(tags, chart.selector.value, chart.options);
  if (!resolution.winner) throw new Error(resolution.error ?? `no version satisfies "${chart.selector.value}"`);
  return resolution.winner;
}

/** A key being typed inside some document of a file, with what its kind needs to name the chart. */
export interface KeyBeingTyped {
  apiVersion?: string;
  kind?: string;
  root: YAMLMap;
  at: KeyAt;
  /** Every document root of the file, then the source documents of other files. */
  roots: YAMLMap[];
  /** The span a completed key replaces. */
  span: { start: number; end: number };
}

/**
 * The key being typed at the cursor and the document it is in; undefined at the top level or
 * outside a document. `elsewhere`: source documents of other workspace files (an OCIRepository or
 * HelmRepository declared elsewhere), after the file's own.
 */
export function keyBeingTyped(text: string, offset: number, elsewhere: readonly YAMLMap[] = []): KeyBeingTyped | undefined {
  const typed = typedKeyAt(text, offset);
  if (!typed || typed.indent === 0) return undefined;
  const parsed = parseManifests(text);
  const roots = [...(parsed.documents.map((d) => d.doc.contents).filter((c) => isMap(c)) as YAMLMap[]), ...elsewhere];
  // A document's range stops at its last node: trailing blank lines (where a key is being typed) belong to the last one that started.
  const here = parsed.documents.filter(({ doc }) => doc.range[0] <= offset).pop();
  const root = here?.doc.contents;
  if (!here || !isMap(root)) return undefined;
  const ancestors =
    typed.itemDash === undefined ? ancestorsAt(text, offset, typed.indent) : [...ancestorsAt(text, offset, typed.itemDash), '-'];
  return {
    ...(here.apiVersion !== undefined ? { apiVersion: here.apiVersion } : {}),
    ...(here.kind !== undefined ? { kind: here.kind } : {}),
    root,
    at: { ancestors, offset },
    roots,
    span: { start: typed.start, end: typed.end },
  };
}

/** Keys of the chart's values.yaml at the path inside values, for the chart version the manifest resolves to today. */
export async function chartValuesKeys(
  { chart, valuesPath }: ChartValuesAt,
  span: { start: number; end: number },
  facts: RegistryFacts,
  access: Pick<RegistryAccess, 'repository'>,
): Promise<ValuesAnswer> {
  try {
    const reference = await chartReference(chart, facts);
    const where = repositoryText(chart.repo);
    const values = await facts.file(`values ${where}@${reference}`, () =>
      fetchChartValues(access.repository(ociRepository(chart.repo)), reference),
    );
    if (values === undefined) return { ...span, keys: [], problem: `${where}:${reference} is not a Helm chart with a values.yaml` };
    return { ...span, keys: valuesKeysAt(values, valuesPath), chart: `${where}:${reference}` };
  } catch (error) {
    return { ...span, keys: [], problem: `${repositoryText(chart.repo)}: ${errorMessage(error)}` };
  }
}
