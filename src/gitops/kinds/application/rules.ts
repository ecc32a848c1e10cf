import { isMap, isSeq } from 'yaml';
import type { RuleContext } from '../../contract/ruleContext';
import { DIGEST, isArgoSemverConstraint, splitOciUrl, TAG } from '../../rules/grammar';
import { DOCS, SPEC_DOCS } from './docs';
import { checkHelmOciSource, helmOciRepository } from './helmOci';

const KNOWN_SYNC_OPTIONS = [
  'Validate',
  'CreateNamespace',
  'PruneLast',
  'ApplyOutOfSyncOnly',
  'PrunePropagationPolicy',
  'Replace',
  'ServerSideApply',
  'FailOnSharedResource',
  'RespectIgnoreDifferences',
  'Prune',
  'Delete',
  'SkipDryRunOnMissingResource',
  'Force',
  'SyncWave',
  'ClientSideApplyMigration',
];

/**
 * Argo CD Application (argoproj.io/v1alpha1): the CRD plus what Argo CD's validation enforces. A
 * value the context calls unknown (an ApplicationSet template's `{{ … }}`) is there, but not judged.
 */
export function checkApplication(ctx: RuleContext): void {
  if (!ctx.isMapAt('spec')) {
    ctx.reportWhole('ARGO001', 'error', 'Application needs a spec with project, destination and a source', ctx.keyRange('spec'), SPEC_DOCS);
    return;
  }
  ctx.requireSpecField('ARGO001', 'project', 'default', 'spec.project is required (use "default" unless you have projects)', SPEC_DOCS);
  checkDestination(ctx);
  const hasSources = isSeq(ctx.node('spec', 'sources')) && (ctx.node('spec', 'sources') as { items: unknown[] }).items.length > 0;
  const hasSource = isMap(ctx.node('spec', 'source'));
  // The source hydrator (Argo CD 2.14+) renders from its dry source and syncs from its sync
  // source: spec.source and spec.sources are then ignored (ApplicationSpec.GetSources).
  if (isMap(ctx.node('spec', 'sourceHydrator'))) {
    for (const [present, field] of [
      [hasSource, 'source'],
      [hasSources, 'sources'],
    ] as const) {
      if (present)
        ctx.report(
          'ARGO003',
          'warning',
          `spec.sourceHydrator is set, so spec.${field} is ignored; keep one of them`,
          ctx.keyRange('spec', field),
          SPEC_DOCS,
        );
    }
    checkSyncOptions(ctx);
    return;
  }
  if (hasSources && hasSource)
    ctx.report(
      'ARGO003',
      'warning',
      'spec.sources is set, so spec.source is ignored; keep one of them',
      ctx.keyRange('spec', 'source'),
      SPEC_DOCS,
    );
  if (!hasSources && !hasSource)
    ctx.reportWhole(
      'ARGO004',
      'error',
      'A source is required: spec.source, spec.sources or spec.sourceHydrator',
      ctx.keyRange('spec'),
      SPEC_DOCS,
    );
  if (hasSources) {
    const items = (ctx.node('spec', 'sources') as { items: unknown[] }).items;
    const refs = new Map<string, number>();
    items.forEach((_, index) => {
      checkSource(ctx, ['spec', 'sources', index], true);
      const ref = ctx.string('spec', 'sources', index, 'ref');
      if (ref !== undefined) {
        if (!/^[a-zA-Z0-9_-]+$/.test(ref))
          ctx.report(
            'ARGO010',
            'error',
            `sources[${index}].ref "${ref}" may only hold letters, digits, "_" and "-"`,
            ctx.valueRange('spec', 'sources', index, 'ref'),
            SPEC_DOCS,
          );
        if (refs.has(ref))
          ctx.report(
            'ARGO010',
            'error',
            `sources[${index}].ref "${ref}" is already used by sources[${refs.get(ref)}]; refs must be unique`,
            ctx.valueRange('spec', 'sources', index, 'ref'),
            SPEC_DOCS,
          );
        refs.set(ref, index);
      }
    });
  } else if (hasSource) {
    checkSource(ctx, ['spec', 'source'], false);
  }
  checkSyncOptions(ctx);
}

function checkSyncOptions(ctx: RuleContext): void {
  const options = ctx.node('spec', 'syncPolicy', 'syncOptions');
  if (isSeq(options)) {
    options.items.forEach((_, index) => {
      const option = ctx.string('spec', 'syncPolicy', 'syncOptions', index);
      const name = option?.split('=')[0];
      if (option !== undefined && (!option.includes('=') || !KNOWN_SYNC_OPTIONS.includes(name!))) {
        ctx.report(
          'ARGO011',
          'warning',
          `Unknown sync option "${option}"; expected Name=value with one of ${KNOWN_SYNC_OPTIONS.join(', ')}`,
          ctx.valueRange('spec', 'syncPolicy', 'syncOptions', index),
          'https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/',
        );
      }
    });
  }
}

function checkDestination(ctx: RuleContext): void {
  if (!ctx.isMapAt('spec', 'destination')) {
    const fix = ctx.has('spec', 'destination')
      ? undefined
      : ctx.addField(['spec'], 'Add destination (this cluster)', [
          'destination:',
          '  server: https://kubernetes.default.svc',
          `  namespace: ${ctx.string('metadata', 'name') ?? 'default'}`,
        ]);
    ctx.reportWhole(
      'ARGO001',
      'error',
      'spec.destination is required: server (or name) and namespace',
      ctx.keyRange('spec', 'destination'),
      SPEC_DOCS,
      fix,
    );
    return;
  }
  const server = ctx.has('spec', 'destination', 'server');
  const name = ctx.has('spec', 'destination', 'name');
  if (server && name)
    ctx.report(
      'ARGO002',
      'error',
      "spec.destination can't have both name and server; keep one",
      ctx.keyRange('spec', 'destination', 'name'),
      SPEC_DOCS,
    );
  if (!server && !name)
    ctx.reportWhole(
      'ARGO002',
      'error',
      'spec.destination needs server (e.g. https://kubernetes.default.svc) or name',
      ctx.keyRange('spec', 'destination'),
      SPEC_DOCS,
    );
}

function checkSource(ctx: RuleContext, path: (string | number)[], multi: boolean): void {
  const where = path
    .slice(1)
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .slice(1);
  const repoURL = ctx.string(...path, 'repoURL');
  if (repoURL === undefined) {
    // What kind of source an unknown repoURL names, and so what it needs, is known only once rendered.
    if (!ctx.isUnknown(...path, 'repoURL'))
      ctx.reportWhole('ARGO004', 'error', `${where}.repoURL is required`, ctx.valueRange(...path), SPEC_DOCS);
    return;
  }
  const chart = ctx.string(...path, 'chart');
  const revision = ctx.string(...path, 'targetRevision');
  const pathValue = ctx.string(...path, 'path');
  const hasChart = chart !== undefined || ctx.isUnknown(...path, 'chart');
  const hasPath = pathValue !== undefined || ctx.isUnknown(...path, 'path');
  if (chart !== undefined && revision === undefined && !ctx.isUnknown(...path, 'targetRevision'))
    ctx.reportWhole(
      'ARGO005',
      'error',
      `${where}.chart needs targetRevision (the chart version)`,
      ctx.valueRange(...path, 'chart'),
      SPEC_DOCS,
    );
  if (!repoURL.startsWith('oci://')) {
    if (helmOciRepository(repoURL)) {
      checkHelmOciSource(ctx, path, where, { repoURL, chart, revision, hasChart, hasPath }, multi);
      return;
    }
    if (!multi && !hasPath && !hasChart)
      ctx.reportWhole('ARGO004', 'error', `${where} needs path or chart`, ctx.valueRange(...path), SPEC_DOCS);
    return;
  }
  const urlRange = ctx.valueRange(...path, 'repoURL');
  const parts = splitOciUrl(repoURL);
  if (parts?.tag || parts?.digest) {
    ctx.report(
      'ARGO006',
      'error',
      `${where}.repoURL must not carry ${parts.digest ? 'a digest' : `the tag ":${parts.tag}"`}; put it in targetRevision`,
      urlRange,
      DOCS,
      {
        title: 'Move it to targetRevision',
        edits: [{ start: urlRange[0], end: urlRange[1], text: `oci://${parts.host}/${parts.repository}` }],
      },
    );
  }
  // Argo CD wants path or chart (or, among several sources, ref); with chart and no path, an
  // oci:// source is unpacked and used from its root (reposerver: IsOCI before IsHelm).
  if (!hasPath && !hasChart && !(multi && ctx.has(...path, 'ref'))) {
    const anchor = ctx.valueRange(...path, 'repoURL');
    ctx.reportWhole(
      'ARGO007',
      'error',
      `${where}.path is required for an oci:// source; use "." for the artifact's root`,
      ctx.keyRange(...path.filter((p): p is string => typeof p === 'string'), 'repoURL'),
      DOCS,
      {
        title: 'Add path: .',
        edits: [
          {
            start: anchor[1],
            end: anchor[1],
            text: `\n${' '.repeat(ctx.column(ctx.keyRange(...path.filter((p): p is string => typeof p === 'string'), 'repoURL')[0]))}path: .`,
          },
        ],
      },
    );
  }
  if (revision !== undefined && !DIGEST.test(revision) && !TAG.test(revision) && !isArgoSemverConstraint(revision)) {
    ctx.report(
      'ARGO008',
      'error',
      `${where}.targetRevision "${revision}" is neither a tag, a sha256 digest nor a semver constraint`,
      ctx.valueRange(...path, 'targetRevision'),
      DOCS,
    );
  }
  if (chart !== undefined && pathValue !== undefined && pathValue !== '.') {
    ctx.report(
      'ARGO009',
      'error',
      `A Helm chart from an OCI registry needs path "." (got "${pathValue}")`,
      ctx.valueRange(...path, 'path'),
      DOCS,
      {
        title: 'Set path to .',
        edits: [{ start: ctx.valueRange(...path, 'path')[0], end: ctx.valueRange(...path, 'path')[1], text: '.' }],
      },
    );
  }
}
