import { isMap } from 'yaml';
import { MediaType } from '../../../oci';
import { nodeAt, rangeOf, scalarString } from '../../documents';
import type { FoundConsumer } from '../consumers';
import type { Check } from '../contract';
import { declaredAt } from '../workspace';
import type { CheckContext } from './context';

/** Argo CD's default `reposerver.oci.layer.media.types`, the same from 3.1 on (cmd/argocd-repo-server/commands/argocd_repo_server.go). */
export const ARGO_DEFAULT_LAYER_TYPES = [MediaType.OciLayerTar, MediaType.OciLayerTarGzip, MediaType.HelmChart];
const HELM_CONFIG = 'application/vnd.cncf.helm.config.v1+json';
/** Argo CD 3.1.6+/3.2+ (#24640) reads at most this many layers. */
const ARGO_MAX_LAYERS = 10;

/**
 * Flux OCIRepository's layer choice (source-controller docs/spec/v1/ocirepositories.md#layer-selector):
 * the first layer of `layerSelector.mediaType`, else the first layer; `operation: extract` (the
 * default) untars it and needs it gzip-compressed, `copy` stores it as it is.
 */
export function fluxLayerCheck(found: FoundConsumer, ctx: CheckContext): Check[] {
  const kind = found.consumer.kind;
  if (kind !== 'OCIRepository' && kind !== 'FluxInstance') return [];
  const selector = kind === 'OCIRepository' ? nodeAt(found.document.root, 'spec', 'layerSelector') : undefined;
  const mediaType = isMap(selector) ? scalarString(selector.get('mediaType', true)) : undefined;
  const operation = (isMap(selector) ? scalarString(selector.get('operation', true)) : undefined) ?? 'extract';
  const at = declaredAt(found.document, rangeOf(selector)?.[0] ?? rangeOf(found.document.root)?.[0] ?? 0);
  const label = 'Flux layerSelector';
  const layers = ctx.evidence.layers;
  if (layers.length === 0)
    return [
      {
        check: label,
        outcome: 'fail',
        detail: 'the artifact has no layers (an index or an empty manifest): Flux has nothing to pull',
        declaredAt: at,
      },
    ];
  const layer = mediaType ? layers.find((l) => l.mediaType === mediaType) : layers[0];
  if (!layer)
    return [
      {
        check: label,
        outcome: 'fail',
        detail: `failed to find layer with media type ${mediaType}: the artifact's layers are ${layers.map((l) => l.mediaType).join(', ')}`,
        declaredAt: at,
      },
    ];
  const which = mediaType ? `the ${mediaType} layer` : `the first layer (${layer.mediaType})`;
  if (operation === 'copy')
    return [{ check: label, outcome: 'pass', detail: `${which} is stored as it is (operation: copy)`, declaredAt: at }];
  if (/gzip$/.test(layer.mediaType))
    return [{ check: label, outcome: 'pass', detail: `${which} is a gzip-compressed tarball Flux extracts`, declaredAt: at }];
  if (/tar$/.test(layer.mediaType))
    return [
      {
        check: label,
        outcome: 'fail',
        detail: `${which} is an uncompressed tar; extract requires a gzip-compressed body (use operation: copy, or push a tar+gzip layer)`,
        declaredAt: at,
      },
    ];
  return [
    {
      check: label,
      outcome: 'warn',
      detail: `${which} does not say it is gzip-compressed; Flux extracts it only if it is a tar+gzip (operation: copy stores it as it is)`,
      declaredAt: at,
    },
  ];
}

/**
 * Argo CD's repo-server (util/oci/client.go; docs/user-guide/oci.md): exactly one content layer
 * (a media type ending in tar+gzip, tar or tar.gzip) and it must be in the allowlist; a Helm chart
 * (config application/vnd.cncf.helm.config.v1+json) is read from its chart layer only. Argo CD
 * verifies no signature at all (argo-cd#22609), so this is all it asks of the artifact.
 */
export function argoLayerCheck(found: FoundConsumer, ctx: CheckContext): Check[] {
  if (found.target.controller !== 'argo-cd') return [];
  const label = 'Argo CD repo-server layer rule';
  const allowed = ctx.argoLayerTypes?.types ?? ARGO_DEFAULT_LAYER_TYPES;
  const where = ctx.argoLayerTypes
    ? `reposerver.oci.layer.media.types (${allowed.join(', ')})`
    : `Argo CD's default allowlist (${allowed.join(', ')})`;
  // Where the allowlist is written, when the workspace sets it; Argo CD's default is written nowhere.
  const placed = ctx.argoLayerTypes ? { declaredAt: ctx.argoLayerTypes.declaredAt } : {};
  const layers = ctx.evidence.layers;
  const content =
    ctx.evidence.configMediaType === HELM_CONFIG
      ? layers.filter((l) => l.mediaType === MediaType.HelmChart)
      : layers.filter((l) => /(tar\+gzip|tar|tar\.gzip)$/.test(l.mediaType));
  if (layers.length > ARGO_MAX_LAYERS)
    return [
      {
        check: label,
        outcome: 'fail',
        detail: `the artifact has ${layers.length} layers; Argo CD reads at most ${ARGO_MAX_LAYERS}`,
        ...placed,
      },
    ];
  if (content.length !== 1)
    return [
      {
        check: label,
        outcome: 'fail',
        detail: `Argo CD needs exactly one content layer; the artifact has ${content.length} (${layers.map((l) => l.mediaType).join(', ') || 'no layers'})`,
        ...placed,
      },
    ];
  if (!allowed.includes(content[0].mediaType))
    return [
      {
        check: label,
        outcome: 'fail',
        detail: `oci layer media type ${content[0].mediaType} is not in the list of allowed media types: ${where}; add it there or push an allowed type`,
        ...placed,
      },
    ];
  return [{ check: label, outcome: 'pass', detail: `one content layer, ${content[0].mediaType}, allowed by ${where}`, ...placed }];
}
