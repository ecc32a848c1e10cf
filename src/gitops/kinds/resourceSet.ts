import { fields } from '../schemas/fieldSpec';
import { COMMON_METADATA, DURATION } from '../schemas/fluxCommon';
import { kindSchema } from '../schemas/kindSchema';
import type { GitOpsKind } from '../contract/kind';

const GROUP = 'fluxcd.controlplane.io';

const V1 = kindSchema(
  `${GROUP}/v1`,
  'ResourceSet',
  fields(`
inputs values[] -- Sets of input values; the resources are generated once per set, with << inputs.name >> in them.
inputsFrom object[] -- ResourceSetInputProviders whose exported inputs are used.
  apiVersion string enum=fluxcd.controlplane.io/v1 -- API version of the provider.
  kind string enum=ResourceSetInputProvider -- Kind of the provider.
  name string -- Name of one provider (or use selector).
  selector object -- Labels that select providers (or use name).
    matchLabels map -- Labels the providers must have.
    matchExpressions object[] -- Label requirements, all of which must hold.
      key! string -- The label key.
      operator! string -- In, NotIn, Exists or DoesNotExist.
      values string[] -- The values for In and NotIn.
inputStrategy object -- How the inputs of several providers are combined.
  name! string enum=Flatten|Permute -- Flatten concatenates them; Permute makes every combination.
  includeEmptyProviders boolean -- With Permute, keep providers that export no inputs.
resources object[] -- The Kubernetes objects to generate, templated with << inputs.* >>.
resourcesTemplate string -- A Go template (delimiters << >>) that generates the objects, as YAML.
steps object[] -- Objects applied in order, one named step at a time (instead of resources).
  name! string pattern=^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ max=63 -- Name of the step, unique in the ResourceSet.
  resources object[] -- The objects of this step.
  resourcesTemplate string -- A Go template that generates the objects of this step.
  timeout string ${DURATION} -- How long to wait for this step's objects to become ready.
dependsOn object[] -- Objects that must exist (or be ready) before the resources are applied.
  apiVersion! string -- API version of the object.
  kind! string -- Kind of the object.
  name! string -- Name of the object.
  namespace string -- Namespace of the object.
  ready boolean -- Wait for its Ready condition.
  readyExpr string -- A CEL expression that decides readiness instead.
serviceAccountName string -- Impersonate this ServiceAccount when applying.
wait boolean -- Wait for the applied objects to become ready.
${COMMON_METADATA}
`),
  { description: 'Flux Operator ResourceSet: generates Kubernetes objects from templates and sets of inputs.' },
);

/** Flux Operator ResourceSet (fluxcd.controlplane.io/v1): its schema only; the objects it generates are checked once generated. */
export const resourceSet: GitOpsKind = {
  groupKinds: [{ group: GROUP, kind: 'ResourceSet' }],
  matches: (apiVersion, kind) => kind === 'ResourceSet' && apiVersion.startsWith(`${GROUP}/`),
  schemas: [V1],
};
