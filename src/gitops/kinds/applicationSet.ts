import { isMap, type YAMLMap } from 'yaml';
import { checkGenerators } from '../applicationSet/generators';
import { API_VERSION, APPLICATION_SET_SCHEMA } from '../applicationSet/schema';
import { checkStrategy, checkTemplating } from '../applicationSet/settings';
import { applicationOf, applicationTemplates, holdsTemplateAction, isTemplatedNode, templateDepth } from '../applicationSet/template';
import { checkTemplateSyntax } from '../applicationSet/templateSyntax';
import { nodeAt } from '../documents';
import { objectName, type LiveTarget } from '../contract/liveTarget';
import type { RuleContext } from '../contract/ruleContext';
import type { ValueAt } from '../contract/completionSite';
import { application, checkApplication } from './application';
import type { GitOpsKind } from '../contract/kind';

/**
 * Argo CD ApplicationSet (argoproj.io/v1alpha1): its generators and templating settings, and each
 * template judged as the Application it makes wherever its values are literal. Completion, the
 * semver preview, chart values and the live checks are the Application's, rooted at the template.
 */
export const applicationSet: GitOpsKind = {
  groupKinds: [{ group: 'argoproj.io', kind: 'ApplicationSet' }],
  matches: (apiVersion, kind) => kind === 'ApplicationSet' && apiVersion === API_VERSION,
  schemas: [APPLICATION_SET_SCHEMA],
  wholeObjectFields: [['generators'], ['template']],
  check: checkApplicationSet,
  liveTargets: (root) =>
    applicationTemplates(root).flatMap((template) =>
      (application.liveTargets?.(template.application, template.own) ?? [])
        // A repository or revision a generator fills in is asked about once rendered, not before.
        .filter((target) => ![target.host, target.repository, target.selector.value].some(holdsTemplateAction))
        .map((target): LiveTarget => ({ ...target, kind: 'ApplicationSet', object: objectName(root) })),
    ),
  completionSite: (root, at, file) => {
    const depth = templateDepth(at.path);
    const template = depth === undefined ? undefined : nodeAt(root, ...at.path.slice(0, depth));
    if (depth === undefined || !isMap(template)) return undefined;
    const inner: ValueAt = { ...at, path: at.path.slice(depth) };
    const site = application.completionSite?.(applicationOf(template), inner, file);
    return site && { ...site, field: at.path.join('.') };
  },
  semverSites: (root, file) =>
    applicationTemplates(root).flatMap((template) =>
      (application.semverSites?.(template.application, file) ?? [])
        .filter((site) => !holdsTemplateAction(site.constraint))
        .map((site) => ({ ...site, field: `${template.path.join('.')}.${site.field}` })),
    ),
  chartValuesAt: (root, at, file) => {
    const depth = templateDepth(at.ancestors);
    if (depth === undefined) return undefined;
    const template = applicationTemplates(root).find((t) => {
      const node = nodeAt(root, ...t.path) as YAMLMap;
      return t.path.length === depth && !!node.range && node.range[0] <= at.offset && at.offset <= node.range[2];
    });
    return template && application.chartValuesAt?.(template.application, { ...at, ancestors: at.ancestors.slice(depth) }, file);
  },
};

function checkApplicationSet(ctx: RuleContext): void {
  if (!ctx.isMapAt('spec')) return;
  checkGenerators(ctx);
  checkTemplating(ctx);
  checkTemplateSyntax(ctx);
  checkStrategy(ctx);
  // A templatePatch may add any field, so the template alone is then judged as a partial object.
  const patched = ctx.has('spec', 'templatePatch');
  for (const template of applicationTemplates(ctx.root as YAMLMap)) {
    const inner = ctx.within(template.application, template.keyRange, ctx.whole && template.own && !patched, isTemplatedNode);
    checkApplication(inner);
    const where = template.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
      .join('')
      .slice(1);
    for (const d of inner.diagnostics) ctx.diagnostics.push({ ...d, message: `${where}: ${d.message}` });
  }
}
