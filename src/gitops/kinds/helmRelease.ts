import type { RuleContext } from '../rules/context';
import { checkSourceRef, namedSource } from '../rules/sourceRef';
import { fields } from '../schemas/fieldSpec';
import {
  COMMON_METADATA,
  DEPENDS_ON,
  DURATION,
  HEALTH_CHECK_EXPRS,
  IGNORE_RULES,
  IMAGES,
  KUBECONFIG,
  nest,
  PATCHES,
} from '../schemas/fluxCommon';
import { kindSchema } from '../schemas/kindSchema';
import { HELM_CHART_LAYER, sourceKey } from '../sources';
import type { YAMLMap } from 'yaml';
import { isMap } from 'yaml';
import { nodeAt, rangeOf, scalarString } from '../documents';
import { objectName, type LiveTarget, type Selector } from '../live/liveTarget';
import { isSemverConstraint, ociChartRepository, REPOSITORY, splitOciUrl } from '../rules/grammar';
import { writtenScalar } from '../completion/written';
import { fieldOf, samePath, type ChartValuesAt, type CompletionSite, type KeyAt, type SemverSite, type ValueAt } from '../completion/types';
import { parseStrictVersion } from '../semver';
import type { SourceIndex } from '../sources';
import type { GitOpsKind } from './kind';

const GROUP = 'helm.toolkit.fluxcd.io';
const DOCS = 'https://fluxcd.io/flux/components/helm/helmreleases/';
/** The kinds `spec.chartRef` takes (the CRD's enum). */
const CHART_SOURCE_KINDS = ['OCIRepository', 'HelmChart', 'ExternalArtifact'];

const REMEDIATION = `
remediation object -- What to do when the action fails.
  retries integer -- How many times to retry; a negative number retries forever.
  ignoreTestFailures boolean -- Do not count failed Helm tests as a failure.
  remediateLastFailure boolean -- Also remediate when the retries are used up.`;

const STRATEGY = `
strategy object -- How a failed action is followed up.
  name! string enum=RemediateOnFailure|RetryOnFailure -- Remediate (roll back or uninstall), or retry as it is.
  retryInterval string ${DURATION} -- Wait between retries.`;

const HELM_ACTION = `
timeout string ${DURATION} -- Limit for the action.
disableHooks boolean -- Skip chart hooks.
disableWait boolean -- Do not wait for resources to become ready.
disableWaitForJobs boolean -- Do not wait for Jobs to complete.`;

const V2 = kindSchema(
  'helm.toolkit.fluxcd.io/v2',
  'HelmRelease',
  fields(`
interval! string ${DURATION} -- How often the release is checked and reconciled, e.g. 10m.
chart object -- A chart from a HelmRepository, GitRepository or Bucket (use chartRef for an OCIRepository).
  spec! object -- Which chart.
    chart! string min=1 max=2048 -- Chart name, or its path in a Git or Bucket source.
    version string -- Chart version or semver range; latest when left out.
    sourceRef! object -- The source of the chart.
      kind! string enum=HelmRepository|GitRepository|Bucket -- Kind of the source.
      name! string min=1 max=253 -- Name of the source.
      namespace string min=1 max=63 -- Namespace of the source.
      apiVersion string -- API version of the source kind.
    interval string ${DURATION} -- How often the chart is checked.
    reconcileStrategy string enum=ChartVersion|Revision -- When to make a new chart artifact.
    valuesFiles string[] -- Values files inside the chart to merge, in order.
    ignoreMissingValuesFiles boolean -- Skip values files that do not exist.
    verify object -- Verify the chart's signature (OCI charts).
      provider! string enum=cosign|notation -- The signature format.
      secretRef object -- Secret with the trust material.
        name! string -- Name of the Secret.
  metadata object -- Labels and annotations of the generated HelmChart.
    labels map -- Labels to add.
    annotations map -- Annotations to add.
chartRef object -- The chart's source: an OCIRepository holding a Helm chart, a HelmChart or an ExternalArtifact.
  kind! string enum=OCIRepository|HelmChart|ExternalArtifact -- Kind of the source.
  name! string min=1 max=253 -- Name of the source.
  namespace string min=1 max=63 -- Namespace of the source; this object's namespace when left out.
  apiVersion string -- API version of the source kind.
releaseName string min=1 max=53 -- Name of the Helm release; [targetNamespace-]name when left out.
targetNamespace string min=1 max=63 -- Namespace the release is installed into.
storageNamespace string min=1 max=63 -- Namespace where Helm keeps the release history.
serviceAccountName string min=1 max=253 -- Impersonate this ServiceAccount.
maxHistory integer -- Release revisions to keep; 0 keeps all.
persistentClient boolean -- Reuse one Kubernetes client for a reconciliation.
suspend boolean -- Stop reconciling until set back to false.
timeout string ${DURATION} -- Default limit for Helm actions.
values any -- Values for the chart, merged over valuesFrom.
valuesFrom object[] -- ConfigMaps and Secrets with values, merged in order.
  kind! string enum=Secret|ConfigMap -- Kind of the object.
  name! string min=1 max=253 -- Its name.
  valuesKey string pattern=^[\\-._a-zA-Z0-9]+$ max=253 -- Key holding the values; values.yaml when left out.
  targetPath string pattern=^([a-zA-Z0-9_\\-.\\\\\\/]|\\[[0-9]{1,5}\\])+$ max=250 -- Put the value at this path instead of merging a values document.
  optional boolean -- Do not fail when it is missing.
  literal boolean -- Take the value as a literal string.
postRenderStrategy string enum=nohooks|combined|separate -- How post renderers treat hook manifests.
postRenderers object[] -- Changes applied to the rendered manifests.
  kustomize object -- Kustomize patches and image overrides.
${nest(IMAGES, 2)}
${nest(PATCHES, 2)}
driftDetection object -- Detect and correct changes made in the cluster.
  mode string enum=enabled|warn|disabled -- Correct drift, only warn, or do nothing.
${nest(IGNORE_RULES, 1)}
waitStrategy object -- How readiness is waited for.
  name! string enum=poller|legacy -- The waiting method.
install object -- How the release is installed.
${nest(HELM_ACTION, 1)}
  crds string enum=Skip|Create|CreateReplace -- What to do with the chart's CRDs.
  createNamespace boolean -- Create the target namespace if needed.
  disableOpenAPIValidation boolean -- Skip OpenAPI validation of the manifests.
  disableSchemaValidation boolean -- Skip the chart's values schema.
  disableTakeOwnership boolean -- Do not adopt existing objects.
  replace boolean -- Reuse a release name that is in the history.
  serverSideApply boolean -- Apply with server-side apply.
  skipCRDs boolean -- Do not install CRDs (deprecated; use crds).
${nest(REMEDIATION, 1)}
${nest(STRATEGY, 1)}
upgrade object -- How the release is upgraded.
${nest(HELM_ACTION, 1)}
  crds string enum=Skip|Create|CreateReplace -- What to do with the chart's CRDs.
  chartNameChangeStrategy string enum=InPlaceUpdate|Reinstall -- What to do when the chart's name changes.
  cleanupOnFail boolean -- Delete new objects when the upgrade fails.
  disableOpenAPIValidation boolean -- Skip OpenAPI validation of the manifests.
  disableSchemaValidation boolean -- Skip the chart's values schema.
  disableTakeOwnership boolean -- Do not adopt existing objects.
  force boolean -- Replace objects that cannot be updated.
  preserveValues boolean -- Keep the values of the last release.
  serverSideApply string enum=enabled|disabled|auto -- Apply with server-side apply.
${nest(REMEDIATION, 1)}
    strategy string enum=rollback|uninstall -- Roll back or uninstall on failure.
${nest(STRATEGY, 1)}
rollback object -- How a failed release is rolled back.
${nest(HELM_ACTION, 1)}
  cleanupOnFail boolean -- Delete new objects when the rollback fails.
  force boolean -- Replace objects that cannot be updated.
  recreate boolean -- Restart pods of the release.
  serverSideApply string enum=enabled|disabled|auto -- Apply with server-side apply.
uninstall object -- How the release is uninstalled.
  timeout string ${DURATION} -- Limit for the uninstall.
  disableHooks boolean -- Skip chart hooks.
  disableWait boolean -- Do not wait for resources to be deleted.
  keepHistory boolean -- Keep the release history.
  deletionPropagation string enum=background|foreground|orphan -- How dependents are deleted.
test object -- Helm tests after install and upgrade.
  enable boolean -- Run the chart's tests.
  ignoreFailures boolean -- Do not fail the release on failed tests.
  timeout string ${DURATION} -- Limit for the tests.
  filters object[] -- Tests to run or skip.
    name! string min=1 max=253 -- Name of the test.
    exclude boolean -- Skip this test.
${DEPENDS_ON}
${HEALTH_CHECK_EXPRS}
${COMMON_METADATA}
${KUBECONFIG}
`),
  { description: 'Flux HelmRelease: installs and upgrades a Helm chart, for example from an OCIRepository (chartRef).' },
);

/** Flux HelmRelease (helm.toolkit.fluxcd.io/v2): installs a chart, from the source its chartRef names or from spec.chart. */
export const helmRelease: GitOpsKind = {
  groupKinds: [{ group: GROUP, kind: 'HelmRelease' }],
  matches: (apiVersion, kind) => kind === 'HelmRelease' && apiVersion.startsWith(`${GROUP}/`),
  schemas: [V2],
  wholeObjectFields: [['interval'], ['chartRef'], ['chart', 'spec', 'chart'], ['chart', 'spec', 'sourceRef']],
  check: checkHelmRelease,
  referencesSources: (root) => namedSource(root, ['spec', 'chartRef']),
  liveTargets: (root, whole, sources) => {
    const target = whole && sources ? ociChartTarget(root, sources) : undefined;
    return target ? [target] : [];
  },
  chartValuesAt: helmReleaseChartValuesAt,
  completionSite: helmReleaseCompletionSite,
  semverSites: helmReleaseSemverSites,
};

/** The registry repository of a chart.spec whose HelmRepository (in the same file) is an OCI one: `<url path>/<chart>`. */
function ociChartRepositoryInFile(root: YAMLMap, file: readonly YAMLMap[]): { host: string; repository: string } | undefined {
  if (scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'sourceRef', 'kind')) !== 'HelmRepository') return undefined;
  const name = scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'sourceRef', 'name'));
  const namespace =
    scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'sourceRef', 'namespace')) ??
    scalarString(nodeAt(root, 'metadata', 'namespace')) ??
    'default';
  const repository = file.find(
    (doc) =>
      scalarString(doc.get('kind', true)) === 'HelmRepository' &&
      scalarString(nodeAt(doc, 'metadata', 'name')) === name &&
      (scalarString(nodeAt(doc, 'metadata', 'namespace')) ?? 'default') === namespace,
  );
  const chart = scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'chart'));
  return repository && chart && scalarString(nodeAt(repository, 'spec', 'type')) === 'oci'
    ? ociChartRepository(scalarString(nodeAt(repository, 'spec', 'url')) ?? '', chart)
    : undefined;
}

/** chart.spec.version from an OCI HelmRepository: the chart's versions, as Helm reads its tags. */
function helmReleaseCompletionSite(root: YAMLMap, at: ValueAt, file: readonly YAMLMap[]): CompletionSite | undefined {
  if (!samePath(at.path, 'spec', 'chart', 'spec', 'version')) return undefined;
  const repo = ociChartRepositoryInFile(root, file);
  if (!repo) return undefined;
  return { kind: 'version', repo, controller: 'flux-helm', helm: true, typed: at.typed, start: at.start, end: at.end, field: fieldOf(at) };
}

/** A chart.spec.version range from an OCI HelmRepository, resolved as source-controller does. */
function helmReleaseSemverSites(root: YAMLMap, file: readonly YAMLMap[]): SemverSite[] {
  const node = nodeAt(root, 'spec', 'chart', 'spec', 'version');
  const constraint = writtenScalar(node);
  const range = rangeOf(node);
  const repo = ociChartRepositoryInFile(root, file);
  if (constraint === undefined || !range || !repo || !(constraint === '*' || isSemverConstraint(constraint))) return [];
  return [{ constraint, repo, options: { controller: 'flux-helm' }, start: range[0], end: range[1], field: 'spec.chart.spec.version' }];
}

/** The `oci://registry/path` of the OCI HelmRepository a chart.spec names, when the sources know it as one. */
function ociHelmRepositoryOf(root: YAMLMap, sources: SourceIndex | undefined): string | undefined {
  if (scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'sourceRef', 'kind')) !== 'HelmRepository') return undefined;
  const name = scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'sourceRef', 'name'));
  if (!name) return undefined;
  const namespace =
    scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'sourceRef', 'namespace')) ??
    scalarString(nodeAt(root, 'metadata', 'namespace')) ??
    'default';
  return sources?.get(sourceKey('HelmRepository', namespace, name))?.ociHelmRepository;
}

/**
 * chart.spec from an OCI HelmRepository: source-controller pulls `<url>/<chart>` and picks the
 * version as Helm does (gitops/semver: flux-helm); `version` left out means the latest stable one.
 */
function ociChartTarget(root: YAMLMap, sources: SourceIndex): LiveTarget | undefined {
  const url = ociHelmRepositoryOf(root, sources);
  const chart = scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'chart'));
  const parts = url && chart ? ociChartRepository(url, chart) : undefined;
  if (!parts) return undefined;
  const versionNode = nodeAt(root, 'spec', 'chart', 'spec', 'version');
  const version = writtenScalar(versionNode) ?? '*';
  if (!isChartVersionOrRange(version)) return undefined;
  const chartNode = nodeAt(root, 'spec', 'chart', 'spec', 'chart');
  const selector: Selector = { type: 'semver', value: version };
  return {
    kind: 'HelmRelease',
    object: objectName(root),
    controller: 'flux',
    docs: DOCS,
    host: parts.host,
    repository: parts.repository,
    selector,
    range: rangeOf(versionNode) ?? rangeOf(chartNode)!,
    urlRange: rangeOf(chartNode)!,
    helmChart: true,
  };
}

/** What chart.spec.version may be for an OCI chart: a strict version, `*`, or a Masterminds constraint. */
function isChartVersionOrRange(version: string): boolean {
  if (version === '' || version === '*' || isSemverConstraint(version)) return true;
  try {
    parseStrictVersion(version);
    return true;
  } catch {
    return false;
  }
}

/** The OCIRepository or OCI HelmRepository a HelmRelease's chart comes from, among the file's documents. */
function helmReleaseChartValuesAt(root: YAMLMap, at: KeyAt, file: readonly YAMLMap[]): ChartValuesAt | undefined {
  if (at.ancestors[0] !== 'spec' || at.ancestors[1] !== 'values') return undefined;
  const valuesPath = at.ancestors.slice(2);
  const namespace = scalarString(nodeAt(root, 'metadata', 'namespace')) ?? 'default';
  const named = (kind: string, name: string | undefined, ns: string) =>
    file.find(
      (doc) =>
        isMap(doc) &&
        scalarString(doc.get('kind', true)) === kind &&
        scalarString(nodeAt(doc, 'metadata', 'name')) === name &&
        (scalarString(nodeAt(doc, 'metadata', 'namespace')) ?? 'default') === ns,
    );
  if (scalarString(nodeAt(root, 'spec', 'chartRef', 'kind')) === 'OCIRepository') {
    const source = named(
      'OCIRepository',
      scalarString(nodeAt(root, 'spec', 'chartRef', 'name')),
      scalarString(nodeAt(root, 'spec', 'chartRef', 'namespace')) ?? namespace,
    );
    const url = source ? splitOciUrl(scalarString(nodeAt(source, 'spec', 'url')) ?? '') : undefined;
    if (!source || !url) return undefined;
    const digest = scalarString(nodeAt(source, 'spec', 'ref', 'digest'));
    const semver = writtenScalar(nodeAt(source, 'spec', 'ref', 'semver'));
    const tag = scalarString(nodeAt(source, 'spec', 'ref', 'tag'));
    const filter = scalarString(nodeAt(source, 'spec', 'ref', 'semverFilter'));
    const selector: Selector = digest
      ? { type: 'digest', value: digest }
      : semver
        ? { type: 'semver', value: semver }
        : { type: 'tag', value: tag ?? 'latest' };
    return {
      chart: {
        repo: { host: url.host, repository: url.repository },
        selector,
        options: { controller: 'flux-oci', ...(filter ? { filter } : {}) },
      },
      valuesPath,
    };
  }
  const repository = named(
    'HelmRepository',
    scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'sourceRef', 'name')),
    scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'sourceRef', 'namespace')) ?? namespace,
  );
  const chart = scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'chart'));
  const repo =
    repository && chart && scalarString(nodeAt(repository, 'spec', 'type')) === 'oci'
      ? ociChartRepository(scalarString(nodeAt(repository, 'spec', 'url')) ?? '', chart)
      : undefined;
  if (!repo) return undefined;
  return {
    chart: {
      repo,
      selector: { type: 'semver', value: writtenScalar(nodeAt(root, 'spec', 'chart', 'spec', 'version')) ?? '*' },
      options: { controller: 'flux-helm' },
    },
    valuesPath,
  };
}

/** HelmRelease (helm.toolkit.fluxcd.io/v2): exactly one of chart and chartRef, and a chartRef that exists. */
function checkHelmRelease(ctx: RuleContext): void {
  if (!ctx.isMapAt('spec')) {
    ctx.reportWhole('FLUX001', 'error', 'HelmRelease needs a spec with interval and chart or chartRef', ctx.keyRange('spec'), DOCS);
    return;
  }
  ctx.requireSpecField('FLUX001', 'interval', '10m', 'spec.interval is required, e.g. 10m', DOCS);
  const chart = ctx.has('spec', 'chart');
  const chartRef = ctx.has('spec', 'chartRef');
  // Both in one document is wrong however it is merged; neither is only wrong in a whole object.
  if (chart && chartRef)
    ctx.report('FLUX003', 'error', 'Set either spec.chart or spec.chartRef, not both', ctx.keyRange('spec', 'chartRef'), DOCS);
  else if (!chart && !chartRef)
    ctx.reportWhole(
      'FLUX003',
      'error',
      'Set spec.chart or spec.chartRef (e.g. an OCIRepository holding the chart)',
      ctx.keyRange('spec', 'chart'),
      DOCS,
    );
  if (chartRef) checkSourceRef(ctx, ['spec', 'chartRef'], CHART_SOURCE_KINDS, DOCS);
  if (chart && isMap(ctx.root) && ociHelmRepositoryOf(ctx.root, ctx.sources?.index)) checkOciChartSpec(ctx);
  const name = ctx.string('spec', 'chartRef', 'name');
  if (ctx.whole && chartRef && ctx.string('spec', 'chartRef', 'kind') === 'OCIRepository' && name !== undefined) {
    const facts = ctx.sources?.index.get(sourceKey('OCIRepository', ctx.string('spec', 'chartRef', 'namespace') ?? ctx.namespace, name));
    if (facts && !facts.selectsHelmChart) {
      // helm-controller also loads a chart source-controller unpacked (its own samples and e2e
      // tests do): this is the docs' recommendation, so an information.
      ctx.report(
        'FLUX006',
        'info',
        `OCIRepository "${name}" unpacks the chart: the Flux docs recommend its spec.layerSelector take mediaType: ${HELM_CHART_LAYER} with operation: copy, so the chart tarball is kept as published`,
        ctx.valueRange('spec', 'chartRef', 'name'),
        DOCS,
      );
    }
  }
}

/**
 * chart.spec from an OCI HelmRepository: the chart is one repository name under the registry path
 * (no version in it), and the version is what Helm's registry client can match: a strict version,
 * or a semver range (source-controller internal/helm/repository/oci_chart_repository.go).
 */
function checkOciChartSpec(ctx: RuleContext): void {
  const chart = ctx.string('spec', 'chart', 'spec', 'chart');
  if (chart !== undefined && (/[:@]/.test(chart) || !REPOSITORY.test(chart)))
    ctx.report(
      'FLUX007',
      'error',
      `spec.chart.spec.chart "${chart}" is not a chart name: with an OCI HelmRepository it is the repository under the registry path (e.g. podinfo), and the version goes in spec.chart.spec.version`,
      ctx.valueRange('spec', 'chart', 'spec', 'chart'),
      DOCS,
    );
  const version = ctx.root ? writtenScalar(nodeAt(ctx.root, 'spec', 'chart', 'spec', 'version')) : undefined;
  if (version !== undefined && !isChartVersionOrRange(version))
    ctx.report(
      'FLUX008',
      'error',
      `spec.chart.spec.version "${version}" is neither a chart version nor a semver range: Helm lists an OCI chart's tags as versions (1.2.3, no v) and picks one by range (e.g. 1.2.x or ^1.2)`,
      ctx.valueRange('spec', 'chart', 'spec', 'version'),
      DOCS,
    );
}
