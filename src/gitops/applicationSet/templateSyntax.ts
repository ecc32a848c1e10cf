import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { rangeOf } from '../documents';
import type { RuleContext } from '../contract/ruleContext';
import { applicationTemplates } from './template';

const GO_TEMPLATE_DOCS = 'https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/GoTemplate/';

// Tool settings (Helm values, kustomize patches, plugin parameters…) may hold template text meant
// for the tool itself (a chart's own {{ .Values.x }}): only the fields Argo CD reads are judged.
const TOOL_SETTINGS = new Set(['helm', 'kustomize', 'directory', 'plugin', 'ignoreDifferences', 'info']);

// Go template names an action may call without arguments: Go's literals and the Sprig functions that
// take none (argo-cd applicationset/utils/utils.go loads Sprig, less env and expandenv).
const GO_NAMES = new Set(['true', 'false', 'nil', 'now', 'uuidv4', 'end', 'else', 'break', 'continue']);

const GO_KEYWORD = /^(if|range|with|end|else|index|printf|print|len|not|and|or|eq|ne|define|template|block)\b/;
const PLAIN_PARAMETER = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+|\[\d+\])*$/;

/**
 * Template actions written for the other templating mode, in the fields Argo CD reads from the
 * Applications it makes. Without goTemplate, the controller substitutes `{{param}}` by name and
 * leaves any other action as written (utils.go Replace: fasttemplate writes an unknown tag back), so
 * `{{ .path.basename }}` reaches the Application verbatim. With goTemplate, `{{name}}` is a call to
 * a function that does not exist, and rendering fails.
 */
export function checkTemplateSyntax(ctx: RuleContext): void {
  const goTemplate = ctx.string('spec', 'goTemplate') === 'true';
  for (const template of applicationTemplates(ctx.root as never))
    for (const node of template.application.items.map((pair) => pair.value as Node)) walk(ctx, node, goTemplate);
}

function walk(ctx: RuleContext, node: Node | null | undefined, goTemplate: boolean): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key) && TOOL_SETTINGS.has(String(pair.key.value))) continue;
      walk(ctx, pair.value as Node, goTemplate);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) walk(ctx, item as Node, goTemplate);
  } else if (isScalar(node) && typeof node.value === 'string') {
    const range = rangeOf(node);
    if (range) checkValue(ctx, node.value, range, goTemplate);
  }
}

function checkValue(ctx: RuleContext, value: string, range: [number, number], goTemplate: boolean): void {
  for (const match of value.matchAll(/\{\{([\s\S]*?)\}\}/g)) {
    const action = match[1].trim();
    if (!goTemplate && (/^[.$-]/.test(action) || action.includes('|') || GO_KEYWORD.test(action))) {
      ctx.report(
        'APPSET014',
        'error',
        `"${match[0]}" is Go template syntax, but spec.goTemplate is not true: Argo CD's plain {{param}} substitution leaves it as written; set goTemplate: true${/^\.[\w.]+$/.test(action) ? ` or write {{${action.slice(1)}}}` : ''}`,
        range,
        GO_TEMPLATE_DOCS,
      );
      return;
    }
    if (goTemplate && PLAIN_PARAMETER.test(action) && !GO_NAMES.has(action)) {
      ctx.report(
        'APPSET015',
        'error',
        `"${match[0]}" is a plain {{param}} substitution, but spec.goTemplate is true: Go reads ${action.split(/[.[]/)[0]} as a function that does not exist and rendering fails; write {{ .${action} }}`,
        range,
        GO_TEMPLATE_DOCS,
      );
      return;
    }
  }
}
