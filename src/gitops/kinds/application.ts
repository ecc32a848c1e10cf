import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import { nodeAt, pairOf, rangeOf, scalarString } from '../documents';
import { objectName, type LiveTarget, type Selector } from '../live/liveTarget';
import type { RuleContext } from '../rules/context';
import { DIGEST, isArgoSemverConstraint, REPOSITORY, splitOciUrl, TAG } from '../rules/grammar';
import { fields, type JsonSchema } from '../schemas/fieldSpec';
import { kindSchema } from '../schemas/kindSchema';
import { parseVersion } from '../semver';
import {
  fieldOf,
  repositoryOfUrl,
  type ChartValuesAt,
  type CompletionSite,
  type KeyAt,
  type SemverSite,
  type ValueAt,
} from '../completion/types';
import { writtenScalar } from '../completion/written';
import type { GitOpsKind } from './kind';
import { withoutTrailingSlashes } from '../../text/trim';

const API_VERSION = 'argoproj.io/v1alpha1';
const DOCS = 'https://argo-cd.readthedocs.io/en/stable/user-guide/oci/';
const SPEC_DOCS = 'https://argo-cd.readthedocs.io/en/stable/user-guide/application-specification/';
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

// What ApplicationSource and the hydrator's dry source share: the tool settings.
const TOOLS = `
helm object -- Settings for a Helm chart source.
  valueFiles string[] -- Values files inside the source, merged in order.
  values string -- Values as a YAML string (valuesObject is preferred).
  valuesObject any -- Values as a YAML object.
  parameters object[] -- Individual values to set, like helm --set.
    name string -- Path of the value.
    value string -- The value.
    forceString boolean -- Always pass it as a string.
  fileParameters object[] -- Values read from files, like helm --set-file.
    name string -- Path of the value.
    path string -- File holding it.
  releaseName string -- Helm release name; the Application's name when left out.
  namespace string -- Namespace used when rendering.
  version string -- Helm version to render with (v3).
  kubeVersion string -- Kubernetes version to render for.
  apiVersions string[] -- API versions reported to the chart's Capabilities.
  passCredentials boolean -- Send repository credentials to every domain.
  ignoreMissingValueFiles boolean -- Skip values files that do not exist.
  skipCrds boolean -- Leave out the chart's CRDs.
  skipSchemaValidation boolean -- Skip the chart's values schema.
  skipTests boolean -- Leave out the chart's test manifests.
kustomize object -- Settings for a kustomize source.
  namePrefix string -- Prefix added to resource names.
  nameSuffix string -- Suffix added to resource names.
  namespace string -- Namespace set on namespaced resources.
  images string[] -- Image overrides, e.g. nginx=nginx:1.27.
  commonLabels map -- Labels added to every resource.
  commonAnnotations map -- Annotations added to every resource.
  commonAnnotationsEnvsubst boolean -- Substitute environment variables in commonAnnotations.
  forceCommonLabels boolean -- Overwrite existing labels.
  forceCommonAnnotations boolean -- Overwrite existing annotations.
  labelWithoutSelector boolean -- Do not add commonLabels to selectors.
  labelIncludeTemplates boolean -- Also add commonLabels to pod templates.
  components string[] -- Kustomize components to include.
  ignoreMissingComponents boolean -- Skip components that do not exist.
  patches object[] -- Patches to apply.
    patch string -- The patch, inline.
    path string -- A file holding the patch.
    options flags -- Patch options, e.g. allowNameChange: true.
    target object -- Which resources the patch applies to.
      group string -- API group.
      version string -- API version.
      kind string -- Kind.
      name string -- Name.
      namespace string -- Namespace.
      labelSelector string -- Label selector.
      annotationSelector string -- Annotation selector.
  replicas object[] -- Replica count overrides.
    name! string -- Name of the workload.
    count! int-or-string -- Number of replicas.
  version string -- Kustomize version to build with.
  kubeVersion string -- Kubernetes version to build for.
  apiVersions string[] -- API versions for Helm charts inflated by kustomize.
directory object -- Settings for a folder of plain manifests.
  recurse boolean -- Read sub-folders too; only the top level otherwise.
  include string -- Glob of files to read, e.g. '{*.yaml,*.json}'.
  exclude string -- Glob of files to skip.
  jsonnet object -- Jsonnet settings.
    extVars object[] -- External variables.
      name! string -- Name.
      value! string -- Value.
      code boolean -- The value is Jsonnet code.
    tlas object[] -- Top-level arguments.
      name! string -- Name.
      value! string -- Value.
      code boolean -- The value is Jsonnet code.
    libs string[] -- Library search paths.
plugin object -- A config management plugin.
  name string -- Name of the plugin.
  env object[] -- Environment for the plugin.
    name! string -- Variable name.
    value! string -- Its value.
  parameters object[] -- Parameters for the plugin.
    name string -- Parameter name.
    string string -- A string value.
    array string[] -- A list value.
    map map -- A map value.`;

const SOURCE = fields(`
repoURL! string -- The repository: oci://host/path for an OCI artifact, a Git URL or a Helm repository.
targetRevision string -- For oci://: a tag, a digest (sha256:…) or a semver constraint. For Git: a branch, tag or commit.
path string -- Folder inside the source to deploy; "." for the root of an OCI artifact (required for oci://).
chart string -- Chart name, for a Helm repository source.
ref string -- Name of this source, so other sources can read its files as $name (multi-source only).
name string -- A name for the source, shown in the UI.
tagPrefix string -- Prefix of the tags to consider (Git only).
${TOOLS}
`);

const DRY_SOURCE = fields(`
repoURL! string -- The Git repository with the dry (unrendered) manifests.
targetRevision! string -- The revision to hydrate.
path! string -- Folder of the dry manifests.
${TOOLS}
`);

/** The spec of an Application, which an ApplicationSet's template holds too. */
export const APPLICATION_SPEC: JsonSchema = fields(`
project! string -- The AppProject this Application belongs to; "default" unless you have projects.
destination! object -- The cluster and namespace to deploy to.
  server string -- The cluster's API URL, e.g. https://kubernetes.default.svc. Set server or name, not both.
  name string -- The cluster's name as registered in Argo CD. Set server or name, not both.
  namespace string -- Namespace for namespaced resources without one.
source @source -- Where the manifests come from. For OCI: repoURL oci://host/path, targetRevision and path.
sources @source[] -- Several sources combined; when set, source is ignored.
syncPolicy object -- When and how Argo CD syncs.
  automated object -- Sync automatically when the source or the cluster changes.
    enabled boolean -- Turn automated sync on or off without removing the block.
    prune boolean -- Delete resources that are gone from the source.
    selfHeal boolean -- Undo changes made in the cluster.
    allowEmpty boolean -- Allow syncing to an empty set of resources.
  syncOptions string[] -- Sync options, e.g. CreateNamespace=true or ServerSideApply=true.
  retry object -- Retry failed syncs.
    limit integer -- Attempts; a negative number retries forever.
    refresh boolean -- Retry with the newest revision when it changes.
    backoff object -- Delay between attempts.
      duration string -- First delay, e.g. 5s.
      factor integer -- Multiplier for each next delay.
      maxDuration string -- Longest delay, e.g. 3m.
  managedNamespaceMetadata object -- Labels and annotations for a namespace created by CreateNamespace=true.
    labels map -- Labels of the namespace.
    annotations map -- Annotations of the namespace.
ignoreDifferences object[] -- Fields to leave out when comparing the cluster with the source.
  kind! string -- Kind of the resources.
  group string -- API group.
  name string -- Resource name.
  namespace string -- Resource namespace.
  jsonPointers string[] -- JSON pointers of fields to ignore.
  jqPathExpressions string[] -- jq paths of fields to ignore.
  managedFieldsManagers string[] -- Ignore fields owned by these managers.
info object[] -- Extra key/value information shown in the UI.
  name! string -- Label.
  value! string -- Value.
revisionHistoryLimit integer -- Sync history entries to keep (10 when left out).
sourceHydrator object -- Render manifests from a dry source and push them to a branch.
  drySource! @drySource -- The unrendered manifests.
  syncSource! object -- Where the rendered manifests are synced from.
    targetBranch! string -- Branch the hydrated manifests are pushed to.
    path! string pattern=^.{2,}|[^./]$ min=1 -- Folder for the hydrated manifests; not the repository root.
    repoURL string -- Repository to push to; the dry source's when left out.
  hydrateTo object -- A staging branch to push to first.
    targetBranch! string -- The staging branch.
`);

/** The definitions APPLICATION_SPEC refers to. */
export const APPLICATION_DEFINITIONS: Record<string, JsonSchema> = { source: SOURCE, drySource: DRY_SOURCE };

const V1ALPHA1 = kindSchema(API_VERSION, 'Application', APPLICATION_SPEC, {
  description: 'Argo CD Application: syncs manifests from a source (an OCI artifact with an oci:// repoURL, Git or Helm) to a cluster.',
  required: ['metadata', 'spec'],
  definitions: APPLICATION_DEFINITIONS,
});

/**
 * Argo CD Application (argoproj.io/v1alpha1): the CRD plus what Argo CD's validation enforces, and
 * its oci:// sources (`spec.source` or each of `spec.sources`) for the live checks.
 */
export const application: GitOpsKind = {
  groupKinds: [{ group: 'argoproj.io', kind: 'Application' }],
  matches: (apiVersion, kind) => kind === 'Application' && apiVersion === API_VERSION,
  schemas: [V1ALPHA1],
  wholeObjectFields: [['project'], ['destination'], ['source', 'repoURL'], ['sources'], ['sourceHydrator']],
  check: checkApplication,
  completionSite: applicationCompletionSite,
  semverSites: applicationSemverSites,
  chartValuesAt: applicationChartValuesAt,
  liveTargets: (root) => {
    const sources = nodeAt(root, 'spec', 'sources');
    const paths: (string | number)[][] = isSeq(sources) ? sources.items.map((_, i) => ['spec', 'sources', i]) : [['spec', 'source']];
    return paths.flatMap((path) => {
      const target = liveTarget(root, path);
      return target ? [target] : [];
    });
  },
};

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

const HELM_DOCS = 'https://argo-cd.readthedocs.io/en/stable/user-guide/helm/';

/**
 * A repoURL that names a Helm OCI repository the way Argo CD wants it: `registry[:port]/path`, no
 * scheme (argo-cd util/helm: IsHelmOciRepo is true for a URL without a scheme, and the repository
 * credential carries enableOCI). `oci://…` is Argo CD's own OCI source instead.
 */
function helmOciRepository(repoURL: string): { host: string; path: string } | undefined {
  const match = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]+)?)\/([a-z0-9._/-]+)$/.exec(repoURL);
  if (!match || (!match[1].includes('.') && !match[1].includes(':') && match[1] !== 'localhost')) return undefined;
  return { host: match[1], path: withoutTrailingSlashes(match[6]) };
}

/**
 * Argo CD's Helm chart from an OCI registry (repoURL `registry/path` + chart + targetRevision): the
 * chart is required, its name carries no version, and targetRevision is a chart version or a semver
 * range (argo-cd util/versions/tags.go MaxVersion reads it; a tag such as latest is not a version).
 */
function checkHelmOciSource(
  ctx: RuleContext,
  path: (string | number)[],
  where: string,
  source: { repoURL: string; chart?: string; revision?: string; hasChart: boolean; hasPath: boolean },
  multi: boolean,
): void {
  const { repoURL, chart, revision, hasChart, hasPath } = source;
  if (chart === undefined) {
    if (!hasChart && !hasPath && !(multi && ctx.has(...path, 'ref')))
      ctx.reportWhole(
        'ARGO012',
        'error',
        `${where}.repoURL "${repoURL}" names a Helm OCI repository (no scheme): set chart to the chart's name and targetRevision to its version; for an OCI artifact of manifests write oci://${repoURL} with path`,
        ctx.valueRange(...path, 'repoURL'),
        HELM_DOCS,
      );
    return;
  }
  if (/[:@]/.test(chart)) {
    ctx.report(
      'ARGO013',
      'error',
      `${where}.chart "${chart}" carries a version or digest; Argo CD takes only the chart's name there and the version in targetRevision`,
      ctx.valueRange(...path, 'chart'),
      HELM_DOCS,
    );
    return;
  }
  const last = withoutTrailingSlashes(repoURL).split('/').pop();
  if (last === chart)
    ctx.report(
      'ARGO014',
      'warning',
      `${where}.repoURL ends with the chart's name: Argo CD appends chart to it, so it looks for ${repoURL}/${chart}; drop /${chart} from repoURL`,
      ctx.valueRange(...path, 'repoURL'),
      HELM_DOCS,
    );
  if (revision !== undefined && revision !== '*' && !isArgoVersion(revision) && !isArgoSemverConstraint(revision))
    ctx.report(
      'ARGO015',
      'error',
      `${where}.targetRevision "${revision}" is not a chart version or semver range; a Helm chart from an OCI registry is picked by version (e.g. 1.2.3 or ^1.2)`,
      ctx.valueRange(...path, 'targetRevision'),
      HELM_DOCS,
    );
}

function isArgoVersion(text: string): boolean {
  try {
    parseVersion(text);
    return true;
  } catch {
    return false;
  }
}

/** A Helm-OCI source (repoURL `registry/path` + chart) and the chart version it selects. */
function helmOciLiveTarget(root: YAMLMap, source: YAMLMap, urlRange: [number, number]): LiveTarget | undefined {
  const repo = helmOciRepository(scalarString(nodeAt(source, 'repoURL')) ?? '');
  const chart = scalarString(nodeAt(source, 'chart'));
  const pair = pairOf(source, 'targetRevision');
  const valueNode = pair?.value;
  const revision = isScalar(valueNode) && typeof valueNode.source === 'string' ? valueNode.source : scalarString(valueNode);
  if (!repo || !chart || /[:@]/.test(chart) || revision === undefined || revision === '') return undefined;
  const repository = `${repo.path}/${chart}`;
  if (!REPOSITORY.test(repository)) return undefined;
  // A version is fetched as the tag Helm pushed it under (`+` spelled `_`); anything else is a range.
  const selector: Selector = isArgoVersion(revision)
    ? { type: 'tag', value: revision.replace(/\+/g, '_') }
    : isArgoSemverConstraint(revision) || revision === '*'
      ? { type: 'semver', value: revision }
      : { type: 'tag', value: revision };
  if (selector.type === 'tag' && !TAG.test(selector.value)) return undefined;
  // No "pin to digest": a Helm chart source is fetched by version, not by manifest digest.
  const valueRange = rangeOf(pair?.value)!;
  return {
    kind: 'Application',
    object: objectName(root),
    controller: 'argo-cd',
    docs: HELM_DOCS,
    host: repo.host,
    repository,
    selector,
    range: valueRange,
    urlRange,
    helmChart: true,
  };
}

/** An oci:// source and what its targetRevision selects. */
function liveTarget(root: YAMLMap, path: (string | number)[]): LiveTarget | undefined {
  const source = nodeAt(root, ...path);
  if (!isMap(source)) return undefined;
  const urlNode = nodeAt(source, 'repoURL');
  const parts = splitOciUrl(scalarString(urlNode) ?? '');
  const urlRange = rangeOf(urlNode);
  if (!parts && urlRange) return helmOciLiveTarget(root, source, urlRange);
  if (!parts || parts.tag || parts.digest || !REPOSITORY.test(parts.repository) || !urlRange) return undefined;
  const pair = pairOf(source, 'targetRevision');
  const revision = isScalar(pair?.value) ? scalarString(pair.value) : undefined;
  if (revision === undefined || revision === '') return undefined;
  // Argo CD resolves a tag or digest first and reads a constraint only when it is not a version.
  const selector: Selector = DIGEST.test(revision)
    ? { type: 'digest', value: revision }
    : isArgoSemverConstraint(revision)
      ? { type: 'semver', value: revision }
      : { type: 'tag', value: revision };
  const keyRange = rangeOf(pair?.key)!;
  const valueRange = rangeOf(pair?.value)!;
  return {
    kind: 'Application',
    object: objectName(root),
    controller: 'argo-cd',
    docs: DOCS,
    host: parts.host,
    repository: parts.repository,
    selector,
    range: valueRange,
    urlRange,
    ...(selector.type !== 'digest'
      ? { pin: { start: keyRange[0], end: valueRange[1], key: 'targetRevision', value: revision, digestKey: 'targetRevision' } }
      : {}),
    ...(scalarString(nodeAt(source, 'chart')) !== undefined ? { helmChart: true } : {}),
  };
}

/** The repository a source's targetRevision ranges over: the oci:// repoURL, or a Helm-OCI repoURL with chart appended. */
function sourceRepository(source: YAMLMap): { repo: ReturnType<typeof repositoryOfUrl>; helm: boolean } {
  const repoURL = scalarString(source.get('repoURL', true)) ?? '';
  const chart = scalarString(source.get('chart', true));
  if (chart) return { repo: repositoryOfUrl(`${repoURL.replace(/^oci:\/\//, '')}/${chart}`), helm: true };
  return { repo: repoURL.startsWith('oci://') ? repositoryOfUrl(repoURL) : undefined, helm: false };
}

/** spec.source and spec.sources[]: registries for repoURL; tags (OCI) or chart versions (Helm-OCI) and digests for targetRevision. */
function applicationCompletionSite(_root: YAMLMap, at: ValueAt): CompletionSite | undefined {
  const { path } = at;
  const inSource = path.length === 3 && path[0] === 'spec' && path[1] === 'source';
  const inSources = path.length === 4 && path[0] === 'spec' && path[1] === 'sources' && typeof path[2] === 'number';
  if (!inSource && !inSources) return undefined;
  const span = { typed: at.typed, start: at.start, end: at.end, field: fieldOf(at) };
  const key = path[path.length - 1];
  // A Helm-OCI source names its registry without a scheme; an OCI source needs oci://.
  if (key === 'repoURL') return { kind: 'registry-or-repository', ociScheme: at.parent.get('chart', true) === undefined, ...span };
  if (key !== 'targetRevision') return undefined;
  const { repo, helm } = sourceRepository(at.parent);
  if (!repo) return undefined;
  if (at.typed.startsWith('sha256:')) return { kind: 'digest', repo, ...span };
  return helm ? { kind: 'version', repo, controller: 'argo', helm: true, ...span } : { kind: 'tag', repo, helm: false, ...span };
}

/** targetRevision ranges of OCI and Helm-OCI sources, resolved as Argo CD does. */
function applicationSemverSites(root: YAMLMap): SemverSite[] {
  const sources: [unknown, string][] = [[nodeAt(root, 'spec', 'source'), 'spec.source']];
  const many = nodeAt(root, 'spec', 'sources');
  if (isSeq(many)) many.items.forEach((item, i) => sources.push([item, `spec.sources[${i}]`]));
  const sites: SemverSite[] = [];
  for (const [source, path] of sources) {
    if (!isMap(source)) continue;
    const node = source.get('targetRevision', true);
    const constraint = writtenScalar(node);
    const range = rangeOf(node);
    const { repo, helm } = sourceRepository(source);
    if (constraint === undefined || !range || !repo || !isArgoSemverConstraint(constraint)) continue;
    sites.push({
      constraint,
      repo,
      options: { controller: 'argo', helmTags: helm },
      start: range[0],
      end: range[1],
      field: `${path}.targetRevision`,
    });
  }
  return sites;
}

/** helm.valuesObject of a Helm-OCI source: the keys of that chart's values.yaml, for the version targetRevision picks. */
function applicationChartValuesAt(root: YAMLMap, at: KeyAt): ChartValuesAt | undefined {
  const { ancestors } = at;
  let source: unknown;
  let rest: string[];
  if (ancestors[0] === 'spec' && ancestors[1] === 'source' && ancestors[2] === 'helm' && ancestors[3] === 'valuesObject') {
    source = nodeAt(root, 'spec', 'source');
    rest = ancestors.slice(4);
  } else if (
    ancestors[0] === 'spec' &&
    ancestors[1] === 'sources' &&
    ancestors[2] === '-' &&
    ancestors[3] === 'helm' &&
    ancestors[4] === 'valuesObject'
  ) {
    const many = nodeAt(root, 'spec', 'sources');
    source = isSeq(many)
      ? many.items.find((item) => isMap(item) && item.range && item.range[0] <= at.offset && at.offset <= item.range[2])
      : undefined;
    rest = ancestors.slice(5);
  } else return undefined;
  if (!isMap(source)) return undefined;
  const repoURL = scalarString(source.get('repoURL', true)) ?? '';
  const chart = scalarString(source.get('chart', true));
  const registry = helmOciRepository(repoURL);
  const revision = writtenScalar(source.get('targetRevision', true));
  if (!registry || !chart || revision === undefined) return undefined;
  const selector: Selector = isArgoVersion(revision)
    ? { type: 'tag', value: revision.replace(/\+/g, '_') }
    : { type: 'semver', value: revision };
  return {
    chart: {
      repo: { host: registry.host, repository: `${registry.path}/${chart}` },
      selector,
      options: { controller: 'argo', helmTags: true },
    },
    valuesPath: rest,
  };
}
