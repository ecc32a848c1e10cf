import { fields } from '../../schemas/fieldSpec';
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
} from '../../schemas/fluxCommon';
import { kindSchema } from '../../schemas/kindSchema';

export const GROUP = 'helm.toolkit.fluxcd.io';
export const DOCS = 'https://fluxcd.io/flux/components/helm/helmreleases/';
/** The kinds `spec.chartRef` takes (the CRD's enum). */
export const CHART_SOURCE_KINDS = ['OCIRepository', 'HelmChart', 'ExternalArtifact'];

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

export const V2 = kindSchema(
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
