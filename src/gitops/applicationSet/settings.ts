import { isSeq, parseDocument } from 'yaml';
import { nodeAt, scalarString } from '../documents';
import type { RuleContext } from '../contract/ruleContext';

const GO_TEMPLATE_DOCS = 'https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/GoTemplate/';
const TEMPLATE_DOCS = 'https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Template/';
const PROGRESSIVE_DOCS = 'https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Progressive-Syncs/';

/** The options Go's text/template takes (Template.Option panics on any other). */
const GO_TEMPLATE_OPTIONS = ['missingkey=default', 'missingkey=invalid', 'missingkey=zero', 'missingkey=error'];

/** goTemplateOptions and templatePatch, which only mean something with goTemplate: true. */
export function checkTemplating(ctx: RuleContext): void {
  const goTemplate = ctx.string('spec', 'goTemplate') === 'true';
  const options = ctx.node('spec', 'goTemplateOptions');
  if (isSeq(options)) {
    if (!goTemplate && options.items.length > 0)
      ctx.report(
        'APPSET011',
        'warning',
        'goTemplateOptions apply to Go templates only; without goTemplate: true they are ignored',
        ctx.keyRange('spec', 'goTemplateOptions'),
        GO_TEMPLATE_DOCS,
      );
    options.items.forEach((_, index) => {
      const option = ctx.string('spec', 'goTemplateOptions', index);
      if (option !== undefined && !GO_TEMPLATE_OPTIONS.includes(option))
        ctx.report(
          'APPSET010',
          'error',
          `Unknown Go template option "${option}"; Go's text/template takes ${GO_TEMPLATE_OPTIONS.join(', ')} (missingkey=error is recommended)`,
          ctx.valueRange('spec', 'goTemplateOptions', index),
          GO_TEMPLATE_DOCS,
        );
    });
  }
  if (!ctx.has('spec', 'templatePatch')) return;
  if (!goTemplate)
    ctx.report(
      'APPSET012',
      'error',
      'templatePatch works only with Go templates: set spec.goTemplate: true (and write its actions as {{ .param }})',
      ctx.keyRange('spec', 'templatePatch'),
      TEMPLATE_DOCS,
    );
  const patch = ctx.string('spec', 'templatePatch');
  if (patch === undefined) return;
  // A patch whose template actions leave it valid YAML can be read: project is not taken from it.
  const parsed = parseDocument(patch, { prettyErrors: false });
  if (parsed.errors.length === 0 && scalarString(nodeAt(parsed.contents, 'spec', 'project')) !== undefined)
    ctx.report(
      'APPSET013',
      'error',
      'templatePatch cannot set spec.project; set project in spec.template.spec',
      ctx.valueRange('spec', 'templatePatch'),
      TEMPLATE_DOCS,
    );
}

/**
 * spec.strategy: a rolling sync happens only with type RollingSync and its steps
 * (argo-cd applicationset/progressivesync: IsRollingSyncStrategy, RollingSyncStrategyEnabled).
 */
export function checkStrategy(ctx: RuleContext): void {
  if (!ctx.isMapAt('spec', 'strategy')) return;
  const type = ctx.string('spec', 'strategy', 'type');
  if (type !== undefined && type !== '' && type !== 'AllAtOnce' && type !== 'RollingSync')
    ctx.report(
      'APPSET016',
      'warning',
      `Unknown strategy type "${type}"; Argo CD knows AllAtOnce and RollingSync, and syncs all at once otherwise`,
      ctx.valueRange('spec', 'strategy', 'type'),
      PROGRESSIVE_DOCS,
    );
  const steps = ctx.node('spec', 'strategy', 'rollingSync', 'steps');
  if (type === 'RollingSync' && !(isSeq(steps) && steps.items.length > 0))
    ctx.report(
      'APPSET017',
      'warning',
      'A RollingSync strategy without rollingSync.steps syncs every Application at once',
      ctx.valueRange('spec', 'strategy', 'type'),
      PROGRESSIVE_DOCS,
    );
  if (type !== 'RollingSync' && ctx.has('spec', 'strategy', 'rollingSync'))
    ctx.report(
      'APPSET017',
      'warning',
      'rollingSync is used only with strategy type: RollingSync; it is ignored',
      ctx.keyRange('spec', 'strategy', 'rollingSync'),
      PROGRESSIVE_DOCS,
    );
  const order = ctx.string('spec', 'strategy', 'deletionOrder');
  if (order !== undefined && !['allatonce', 'reverse'].includes(order.toLowerCase()))
    ctx.report(
      'APPSET018',
      'warning',
      `Unknown deletionOrder "${order}"; Argo CD knows AllAtOnce and Reverse, and deletes all at once otherwise`,
      ctx.valueRange('spec', 'strategy', 'deletionOrder'),
      PROGRESSIVE_DOCS,
    );
}
