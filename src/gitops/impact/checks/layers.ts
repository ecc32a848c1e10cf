import { isMap } from 'yaml';
import { formatReference, MediaType, type Descriptor } from '../../../oci';
import { shortDigest } from '../../../text/format';
import { nodeAt, rangeOf, scalarString } from '../../documents';
import type { FoundConsumer } from '../consumers';
import type { Check } from '../contract';
import { DEFAULT_PLATFORM, platformText } from '../platformManifest';
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
  const resolved = fluxImageLayers(ctx);
  if ('refusal' in resolved) return [{ check: label, outcome: 'fail', detail: resolved.refusal, declaredAt: at }];
  const { layers, of } = resolved;
  if (layers.length === 0) return [{ check: label, outcome: 'fail', detail: `no layers found in artifact${of}`, declaredAt: at }];
  const layer = mediaType ? layers.find((l) => l.mediaType === mediaType) : layers[0];
  if (!layer)
    return [
      {
        check: label,
        outcome: 'fail',
        detail: `failed to find layer with media type ${mediaType}${of}: the layers are ${layers.map((l) => l.mediaType).join(', ')}`,
        declaredAt: at,
      },
    ];
  const which = `${mediaType ? `the ${mediaType} layer` : `the first layer (${layer.mediaType})`}${of}`;
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
 * The layers Flux's `remote.Image` reads: the candidate's own, or for an index those of its
 * linux/amd64 manifest (Flux names no platform); an index without one is refused as Flux words it.
 */
function fluxImageLayers(ctx: CheckContext): { layers: Descriptor[]; of: string } | { refusal: string } {
  const { index } = ctx.evidence;
  if (!index) return { layers: ctx.evidence.layers, of: '' };
  const chosen = index.platformManifest;
  if (chosen) return { layers: chosen.layers, of: ` (the index's ${chosen.platform} manifest ${shortDigest(chosen.digest)}…)` };
  const platforms = index.manifests.map((m) => (m.platform ? platformText(m.platform) : (m.artifactType ?? m.mediaType)));
  return {
    refusal: `no child with platform ${platformText(DEFAULT_PLATFORM)} in index ${indexReference(ctx)}: Flux reads an index as its ${platformText(DEFAULT_PLATFORM)} image, and this one holds ${platforms.join(', ') || 'no manifests'}`,
  };
}

/** The index as go-containerregistry names it in its error: by digest, without the tag. */
function indexReference(ctx: CheckContext): string {
  const { registry, repository } = ctx.evidence.reference;
  return formatReference({ registry, repository, digest: ctx.evidence.digest });
}

/**
 * A HelmRelease's chart that is an index: Helm's registry client skips an index node before Helm
 * 4.2 and then cannot read the manifest it pulled; Helm 4.2 (source-controller v1.8.5, so Flux
 * 2.9 on) copies the index and every manifest in it and takes a chart from whichever it finds.
 */
export function fluxHelmIndexCheck(found: FoundConsumer, ctx: CheckContext): Check[] {
  if (found.consumer.kind !== 'HelmRelease' || !ctx.evidence.index) return [];
  const label = 'Flux Helm chart pull';
  const version = ctx.fluxVersion;
  const placed = version ? { declaredAt: version.declaredAt } : {};
  const minor = version && version.major === 2 ? version.minor : undefined;
  const single = 'push the chart as a single manifest';
  const fails = `("unable to retrieve blob with digest ${ctx.evidence.digest}")`;
  if (minor !== undefined && minor !== 'latest' && minor < 8)
    return [
      {
        check: label,
        outcome: 'fail',
        detail: `Flux ${version!.written} pulls charts with a Helm before 4.2, which skips an index and then cannot read it back ${fails}; ${single}`,
        ...placed,
      },
    ];
  const newer = minor === 'latest' || (minor !== undefined && minor >= 9) || (version !== undefined && version.major > 2);
  const detail = newer
    ? `Flux ${version!.written} (Helm 4.2) reads a chart from an index: the chart of whichever of its manifests holds one, not a platform's; ${single}`
    : `source-controller before v1.8.5 (Helm before 4.2) cannot pull a chart from an index ${fails}, later releases take the chart of whichever of its manifests holds one; ${single}`;
  return [{ check: label, outcome: 'warn', detail, ...placed }];
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
  if (ctx.evidence.index)
    return [
      {
        check: label,
        outcome: 'fail',
        detail: `expected only a single oci content layer, got 0: Argo CD reads the index ${shortDigest(ctx.evidence.digest)}… as an image manifest and does not pick a platform's manifest from it; point targetRevision at one manifest's digest or push a single-manifest artifact`,
        ...placed,
      },
    ];
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
