import { basename, dirname, join } from 'node:path';
import { isScalar, parseAllDocuments, visit } from 'yaml';

/**
 * The chart folder when `path` lies under a chart's `templates/` folder (a `templates` folder
 * beside a Chart.yaml, at any depth below it). Helm renders those files before anything reads
 * them as YAML, whatever they hold.
 */
export function chartOfTemplate(path: string, exists: (path: string) => boolean): string | undefined {
  for (let dir = dirname(path); dirname(dir) !== dir; dir = dirname(dir)) {
    if (basename(dir) === 'templates' && exists(join(dirname(dir), 'Chart.yaml'))) return dirname(dir);
  }
  return undefined;
}

/**
 * Whether the text holds Go template actions (`{{ … }}`) in its structure, as Helm templates do:
 * `{{- if … }}` lines, `replicas: {{ .Values.n }}`, `{{- toYaml . | nindent 4 }}`. A `{{` inside a
 * YAML string (quoted, block or plain, like the Prometheus alert texts in a HelmRelease's values)
 * is data, not a template action, and does not count; nor does one in a comment.
 */
export function holdsTemplateActions(text: string): boolean {
  if (!text.includes('{{')) return false;
  const strings: [number, number][] = [];
  const docs = parseAllDocuments(text, { prettyErrors: false });
  for (const doc of Array.isArray(docs) ? docs : []) {
    visit(doc, {
      Scalar(_, node) {
        if (isScalar(node) && node.range) strings.push([node.range[0], node.range[1]]);
      },
    });
  }
  for (let at = text.indexOf('{{'); at !== -1; at = text.indexOf('{{', at + 2)) {
    if (strings.some(([start, end]) => at > start && at < end)) continue;
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    if (/(^|\s)#/.test(text.slice(lineStart, at))) continue;
    return true;
  }
  return false;
}
