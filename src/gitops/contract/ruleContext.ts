import { isMap, isScalar, type Node } from 'yaml';
import type { Diagnostic, TextEdit } from '../diagnostic';
import { nodeAt, pairOf, rangeOf, scalarString } from '../documents';
import type { KnownSources } from '../sources';
import { isAliasCopy } from '../yamlAliases';

/** What a rule sees of one document, and how it reports. */
export class RuleContext {
  readonly diagnostics: Diagnostic[] = [];

  /**
   * `whole` is false for a partial object (a kustomize patch): rules then check the form of the
   * values it sets, never what is missing or what depends on fields the patched object holds.
   * `sources` are what references resolve against; without them (nothing is known of the
   * workspace) references are not checked.
   */
  constructor(
    readonly root: Node,
    private readonly fallback: [number, number],
    private readonly text: string,
    readonly whole = true,
    readonly sources?: KnownSources,
    private readonly unknownValue?: (node: Node) => boolean,
  ) {}

  /**
   * The context of an object held inside this one (an ApplicationSet's template, judged as an
   * Application): its own root and fallback range, the same text and sources. `unknownValue` tells
   * the values known only once the object is rendered.
   */
  within(root: Node, fallback: [number, number], whole: boolean, unknownValue?: (node: Node) => boolean): RuleContext {
    return new RuleContext(root, fallback, this.text, whole, this.sources, unknownValue);
  }

  /** The object's namespace, `default` when it names none. */
  get namespace(): string {
    return this.string('metadata', 'namespace') ?? 'default';
  }

  /** The column of an offset, to indent inserted YAML like its neighbours. */
  column(offset: number): number {
    return offset - (this.text.lastIndexOf('\n', offset - 1) + 1);
  }

  node(...path: (string | number)[]): Node | undefined {
    return nodeAt(this.root, ...path);
  }

  string(...path: (string | number)[]): string | undefined {
    return this.isUnknown(...path) ? undefined : scalarString(this.node(...path));
  }

  has(...path: (string | number)[]): boolean {
    return this.node(...path) !== undefined;
  }

  /**
   * Whether the value at `path` is there but known only once the object is rendered (an
   * ApplicationSet template's `{{ … }}`): `string` gives nothing for it, and nothing is missing.
   */
  isUnknown(...path: (string | number)[]): boolean {
    if (!this.unknownValue) return false;
    const node = this.node(...path);
    return node !== undefined && this.unknownValue(node);
  }

  /** The key of `path`'s last element when present, else the nearest existing parent's key. */
  keyRange(...path: string[]): [number, number] {
    for (let depth = path.length; depth > 0; depth--) {
      const pair = pairOf(nodeAt(this.root, ...path.slice(0, depth - 1)), path[depth - 1]);
      const range = rangeOf(pair?.key);
      if (range) return range;
    }
    return this.fallback;
  }

  valueRange(...path: (string | number)[]): [number, number] {
    return rangeOf(this.node(...path)) ?? this.keyRange(...path.filter((p): p is string => typeof p === 'string'));
  }

  report(
    code: string,
    severity: Diagnostic['severity'],
    message: string,
    range: [number, number],
    link?: string,
    fix?: { title: string; edits: TextEdit[] },
  ): void {
    this.diagnostics.push({ code, severity, message, start: range[0], end: range[1], ...(link ? { link } : {}), ...(fix ? { fix } : {}) });
  }

  /** Reports something missing, or something only the whole object can tell; silent for a partial object. */
  reportWhole(
    code: string,
    severity: Diagnostic['severity'],
    message: string,
    range: [number, number],
    link?: string,
    fix?: { title: string; edits: TextEdit[] },
  ): void {
    if (this.whole) this.report(code, severity, message, range, link, fix);
  }

  /**
   * A field of `spec` the controller requires: when it is missing (and the object is whole), one
   * error on where it belongs, with a fix that adds `field: value`. Returns the field's text.
   */
  requireSpecField(code: string, field: string, value: string, message: string, link: string): string | undefined {
    const written = this.string('spec', field);
    if (written === undefined && !this.isUnknown('spec', field))
      this.reportWhole(
        code,
        'error',
        message,
        this.keyRange('spec', field),
        link,
        this.addField(['spec'], `Add ${field}: ${value}`, [`${field}: ${value}`]),
      );
    return written;
  }

  /**
   * A fix that adds `lines` (a field, possibly with nested lines) as the first entry of the block
   * map at `path`, indented like its siblings. Undefined for flow maps (`{…}`), where a line-based
   * insert would break the syntax.
   */
  addField(path: string[], title: string, lines: string[]): { title: string; edits: TextEdit[] } | undefined {
    const map = this.node(...path);
    // A map copied from an anchor has no text of its own here to insert into.
    if (!isMap(map) || map.flow || map.items.length === 0 || isAliasCopy(map) || isAliasCopy(map.items[0].key)) return undefined;
    const first = rangeOf(map.items[0].key);
    if (!first) return undefined;
    const indent = ' '.repeat(this.column(first[0]));
    return { title, edits: [{ start: first[0], end: first[0], text: lines.map((line) => `${line}\n${indent}`).join('') }] };
  }

  /**
   * Where each line of the literal block scalar (`|`) at `path` is written, one range per line of
   * its parsed value (without the indentation), for findings about one line of a multi-line field.
   * Undefined for other styles, whose lines do not map one to one onto the value's.
   */
  blockLines(...path: (string | number)[]): [number, number][] | undefined {
    const node = this.node(...path);
    if (!isScalar(node) || node.type !== 'BLOCK_LITERAL' || typeof node.value !== 'string' || !node.range) return undefined;
    const source = this.text.slice(node.range[0], node.range[1]);
    let offset = node.range[0] + source.indexOf('\n') + 1;
    const written = source.slice(source.indexOf('\n') + 1).split('\n');
    const out: [number, number][] = [];
    for (const [index, line] of node.value.split('\n').entries()) {
      const raw = written[index];
      if (raw === undefined) break;
      const sourceLine = raw.replace(/\r$/, '');
      if (!sourceLine.endsWith(line)) return undefined;
      out.push([offset + sourceLine.length - line.length, offset + sourceLine.length]);
      offset += raw.length + 1;
    }
    return out;
  }

  isMapAt(...path: string[]): boolean {
    return isMap(this.node(...path));
  }

  isScalarAt(...path: string[]): boolean {
    return isScalar(this.node(...path));
  }
}
