import { isIndex, type Descriptor, type Manifest } from '../../oci';

/**
 * What to do with a cosign `.sig` or `.att` tag that the destination already has with other
 * content. cosign itself appends to these tags (every `cosign sign` and `cosign attest` adds a
 * layer and re-tags), and a verifier accepts the artifact when any layer verifies, so a copy
 * must never drop what the destination holds:
 * - the destination's layers are all in the source's: the source's manifest is copied as it is
 *   (bytes and digest kept), nothing is lost;
 * - the source's layers are all at the destination: nothing to do;
 * - each has layers the other lacks: the destination's layers, then the source's missing ones, go
 *   into a new manifest, as `cosign sign` appending would write it.
 * `.sbom` tags are single documents (`cosign attach sbom` replaces them), so they are not merged:
 * a different one at the destination is a tag move that needs consent.
 */
export type CosignTagDecision =
  | { action: 'copy' }
  | { action: 'unchanged' }
  | { action: 'merge'; layers: Descriptor[]; added: Descriptor[] }
  | { action: 'incompatible'; reason: string };

export function decideCosignTag(source: Manifest, destination: Manifest): CosignTagDecision {
  if (isIndex(source) || isIndex(destination))
    return { action: 'incompatible', reason: 'one of the two is an index, not a cosign signature or attestation manifest' };
  const sourceLayers = source.layers ?? [];
  const destinationLayers = destination.layers ?? [];
  const atDestination = new Set(destinationLayers.map(layerKey));
  const atSource = new Set(sourceLayers.map(layerKey));
  const added = sourceLayers.filter((l) => !atDestination.has(layerKey(l)));
  if (added.length === 0) return { action: 'unchanged' };
  if (destinationLayers.every((l) => atSource.has(layerKey(l)))) return { action: 'copy' };
  return { action: 'merge', layers: [...destinationLayers, ...added], added };
}

/** A layer is the same signature when its bytes and every annotation (the signature, certificate, bundle) are. */
function layerKey(layer: Descriptor): string {
  const annotations = Object.entries(layer.annotations ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([layer.mediaType, layer.digest, layer.size, annotations]);
}
