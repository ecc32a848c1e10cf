import { fields, type JsonSchema } from '../../schemas/fieldSpec';
import { kindSchema } from '../../schemas/kindSchema';

export const API_VERSION = 'argoproj.io/v1alpha1';

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

export const V1ALPHA1 = kindSchema(API_VERSION, 'Application', APPLICATION_SPEC, {
  description: 'Argo CD Application: syncs manifests from a source (an OCI artifact with an oci:// repoURL, Git or Helm) to a cluster.',
  required: ['metadata', 'spec'],
  definitions: APPLICATION_DEFINITIONS,
});
