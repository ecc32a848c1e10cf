/** Field lists the Flux kinds share, to indent under a parent with `nest`. */
export const DURATION = 'pattern=^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';
/** The sources' fetch timeouts: a Duration without hours. */
export const TIMEOUT_DURATION = 'pattern=^([0-9]+(\\.[0-9]+)?(ms|s|m))+$';

export function nest(block: string, depth: number): string {
  return block
    .trim()
    .split('\n')
    .map((line) => `${'  '.repeat(depth)}${line}`)
    .join('\n');
}

export const SELECTOR = `
group string -- API group of the objects, e.g. apps.
version string -- API version of the objects.
kind string -- Kind of the objects, e.g. Deployment.
name string -- Name of the object (a regular expression).
namespace string -- Namespace of the objects.
labelSelector string -- A label selector, e.g. app=web.
annotationSelector string -- An annotation selector.`;

export const KUBECONFIG = `
kubeConfig object -- Apply to another cluster: its kubeconfig in a Secret, or a ConfigMap for workload identity.
  secretRef object -- Secret holding the kubeconfig.
    name! string -- Name of the Secret.
    key string -- Key in the Secret; value or value.yaml when left out.
  configMapRef object -- ConfigMap describing the cluster for a cloud provider's workload identity.
    name! string -- Name of the ConfigMap.`;

export const DEPENDS_ON = `
dependsOn object[] -- Objects that must be ready before this one is reconciled.
  name! string -- Name of the object depended on.
  namespace string -- Its namespace; this object's namespace when left out.
  readyExpr string -- A CEL expression that decides readiness instead of the Ready condition.`;

export const HEALTH_CHECK_EXPRS = `
healthCheckExprs object[] -- CEL expressions that tell the health of custom resources.
  apiVersion! string -- API version of the kind checked.
  kind string -- Kind checked.
  current! string -- CEL: true when the object is healthy.
  inProgress string -- CEL: true while the object is still progressing.
  failed string -- CEL: true when the object has failed.`;

export const COMMON_METADATA = `
commonMetadata object -- Labels and annotations added to every object applied.
  labels map -- Labels to add.
  annotations map -- Annotations to add.`;

export const IMAGES = `
images object[] -- Container image overrides, as in kustomize.
  name! string -- The image name to match.
  newName string -- The image name to use instead.
  newTag string -- The tag to use instead.
  digest string -- A digest to pin the image to (wins over newTag).`;

export const PATCHES = `
patches object[] -- Strategic merge or JSON 6902 patches to apply.
  patch! string -- The patch itself, as YAML or JSON.
  target object -- Which objects the patch applies to.
${nest(SELECTOR, 2)}`;

export const IGNORE_RULES = `
ignore object[] -- Fields to leave out of drift detection.
  paths! string[] -- JSON pointers of the fields to ignore.
  target object -- Which objects the rule applies to.
${nest(SELECTOR, 2)}`;
