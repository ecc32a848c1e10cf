import type { RuleContext } from '../contract/ruleContext';
import { INTERVAL } from '../rules/grammar';
import { checkSourceRef, namedSource } from '../rules/sourceRef';
import { fields } from '../schemas/fieldSpec';
import {
  COMMON_METADATA,
  DEPENDS_ON,
  DURATION,
  HEALTH_CHECK_EXPRS,
  IMAGES,
  KUBECONFIG,
  nest,
  PATCHES,
  SELECTOR,
} from '../schemas/fluxCommon';
import { kindSchema } from '../schemas/kindSchema';
import type { GitOpsKind } from '../contract/kind';

const GROUP = 'kustomize.toolkit.fluxcd.io';
const DOCS = 'https://fluxcd.io/flux/components/kustomize/kustomizations/';
/** The kinds `spec.sourceRef` takes (the CRD's enum). */
const SOURCE_KINDS = ['OCIRepository', 'GitRepository', 'Bucket', 'ExternalArtifact'];

/** Flux Kustomization (kustomize.toolkit.fluxcd.io/v1): builds and applies the manifests of the source it names. */
export const kustomization: GitOpsKind = {
  groupKinds: [{ group: GROUP, kind: 'Kustomization' }],
  matches: (apiVersion, kind) => kind === 'Kustomization' && apiVersion.startsWith(`${GROUP}/`),
  schemas: [
    kindSchema(
      `${GROUP}/v1`,
      'Kustomization',
      fields(`
interval! string ${DURATION} -- How often the source is built and applied again, e.g. 10m.
prune! boolean -- Delete objects that were applied before and are gone from the source.
sourceRef! object -- The source holding the manifests (an OCIRepository for Gitless GitOps).
  kind! string enum=OCIRepository|GitRepository|Bucket|ExternalArtifact -- Kind of the source.
  name! string -- Name of the source.
  namespace string -- Namespace of the source; this object's namespace when left out.
  apiVersion string -- API version of the source kind.
path string -- Folder inside the artifact to build; its root when left out.
retryInterval string ${DURATION} -- How soon to retry after a failure; interval when left out.
timeout string ${DURATION} -- Limit for build, apply and health checks.
targetNamespace string min=1 max=63 -- Put every namespaced object in this namespace.
namePrefix string min=1 max=200 -- Prefix added to every object name.
nameSuffix string min=1 max=200 -- Suffix added to every object name.
serviceAccountName string -- Impersonate this ServiceAccount when applying.
suspend boolean -- Stop reconciling until set back to false.
wait boolean -- Wait for every applied object to become ready.
force boolean -- Recreate objects whose immutable fields changed.
deletionPolicy string enum=MirrorPrune|Delete|WaitForTermination|Orphan -- What happens to applied objects when this Kustomization is deleted.
components string[] -- Kustomize components to include.
ignoreMissingComponents boolean -- Skip components that do not exist instead of failing.
buildMetadata string[] enum=originAnnotations|transformerAnnotations -- Kustomize build metadata to add as annotations.
healthChecks object[] -- Objects whose readiness this Kustomization waits for.
  apiVersion string -- API version of the object.
  kind! string -- Kind of the object.
  name! string -- Name of the object.
  namespace string -- Namespace of the object.
ignore object[] -- Objects or fields that kustomize-controller leaves alone.
  paths! string[] -- JSON pointers of the fields to ignore.
  target object -- Which objects the rule applies to.
${nest(SELECTOR, 2)}
decryption object -- Decrypt SOPS-encrypted Secrets before applying.
  provider! string enum=sops -- The decryption provider.
  secretRef object -- Secret holding the decryption keys.
    name! string -- Name of the Secret.
  serviceAccountName string -- ServiceAccount for a cloud KMS.
postBuild object -- Variable substitution after the build.
  substitute map -- Variables and their values, used as \${name} in manifests.
  substituteFrom object[] -- ConfigMaps and Secrets holding variables.
    kind! string enum=Secret|ConfigMap -- Kind of the object.
    name! string min=1 max=253 -- Its name.
    optional boolean -- Do not fail when it is missing.
  substituteStrategy string enum=WithVariables|Always -- When substitution runs.
${DEPENDS_ON}
${HEALTH_CHECK_EXPRS}
${COMMON_METADATA}
${IMAGES}
${PATCHES}
${KUBECONFIG}
`),
      { description: 'Flux Kustomization: builds and applies the manifests of a source, such as an OCIRepository.' },
    ),
  ],
  wholeObjectFields: [['interval'], ['prune'], ['sourceRef']],
  check: checkKustomization,
  referencesSources: (root) => namedSource(root, ['spec', 'sourceRef']),
};

function checkKustomization(ctx: RuleContext): void {
  if (!ctx.isMapAt('spec')) {
    ctx.reportWhole('FLUX001', 'error', 'Kustomization needs a spec with interval, prune and sourceRef', ctx.keyRange('spec'), DOCS);
    return;
  }
  const interval = ctx.requireSpecField('FLUX001', 'interval', '10m', 'spec.interval is required, e.g. 10m', DOCS);
  if (interval !== undefined && !INTERVAL.test(interval))
    ctx.report('FLUX002', 'error', `spec.interval "${interval}" is not a duration (ms, s, m, h)`, ctx.valueRange('spec', 'interval'), DOCS);
  ctx.requireSpecField('FLUX001', 'prune', 'true', 'spec.prune is required: true deletes what is removed from the source', DOCS);
  checkSourceRef(ctx, ['spec', 'sourceRef'], SOURCE_KINDS, DOCS);
}
