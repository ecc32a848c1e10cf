import { nodeAt, rangeOf, scalarString } from '../documents';
import type { NamedSource } from '../contract/kind';
import { CLUSTER_SYNC_NAME, type MissingSource } from '../sources';
import type { RuleContext } from '../contract/ruleContext';

/** The source a `sourceRef`-like map at `path` names; its namespace defaults to the object's own. */
export function namedSource(root: unknown, path: string[]): NamedSource[] {
  const kind = scalarString(nodeAt(root, ...path, 'kind'));
  const nameNode = nodeAt(root, ...path, 'name');
  const name = scalarString(nameNode);
  const range = rangeOf(nameNode);
  if (!kind || !name || !range) return [];
  const namespace = scalarString(nodeAt(root, ...path, 'namespace')) ?? scalarString(nodeAt(root, 'metadata', 'namespace')) ?? 'default';
  return [{ kind, namespace, name, range }];
}

/**
 * A `sourceRef`-like reference at `path` (kind, name, namespace): required, of one of `kinds`
 * (the CRD's enum), and, in a whole object checked against the workspace, naming a source that
 * exists when its kind is one the workspace's documents declare.
 */
export function checkSourceRef(ctx: RuleContext, path: string[], kinds: readonly string[], docs: string): void {
  if (!ctx.isMapAt(...path)) {
    ctx.reportWhole('FLUX001', 'error', `${path.join('.')} is required: kind and name of the source`, ctx.keyRange(...path), docs);
    return;
  }
  const kind = ctx.string(...path, 'kind');
  const name = ctx.string(...path, 'name');
  if (kind !== undefined && !kinds.includes(kind))
    ctx.report('FLUX004', 'error', `${path.join('.')}.kind must be one of ${kinds.join(', ')}`, ctx.valueRange(...path, 'kind'), docs);
  else if (kind === undefined)
    ctx.reportWhole('FLUX004', 'error', `${path.join('.')}.kind must be one of ${kinds.join(', ')}`, ctx.valueRange(...path, 'kind'), docs);
  if (name === undefined) ctx.reportWhole('FLUX001', 'error', `${path.join('.')}.name is required`, ctx.keyRange(...path, 'name'), docs);
  // A patch may leave the namespace to the object it patches, so only whole objects are resolved;
  // a kind the field does not take is already an error, and where such a source is does not matter.
  if (!ctx.whole || name === undefined || kind === undefined || !kinds.includes(kind) || !ctx.sources) return;
  const missing = ctx.sources.missing(kind, ctx.string(...path, 'namespace') ?? ctx.namespace, name);
  if (missing) ctx.report('FLUX005', missing.severity, missing.message, ctx.valueRange(...path, 'name'), docs);
}

/**
 * What a reference to a missing Flux source declared in YAML is told: a warning, except for the
 * cluster's own source, which is usually made when the cluster is bootstrapped, not kept in the
 * repository. `create` is the flux CLI command that makes one (`flux create source oci`).
 */
export function missingFluxSource(kind: string, create: string): (name: string, namespace: string) => MissingSource {
  return (name, namespace) =>
    name === CLUSTER_SYNC_NAME
      ? {
          severity: 'info',
          message: `${kind} "${name}" in namespace "${namespace}" is not in the workspace: the cluster's own source is usually created at bootstrap (a FluxInstance's spec.sync, or ${create}), outside these files`,
        }
      : {
          severity: 'warning',
          message: `No ${kind} "${name}" in namespace "${namespace}" was found in the workspace; check the name, or add it`,
        };
}
