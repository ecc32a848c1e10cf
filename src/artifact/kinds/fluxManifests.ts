import { MediaType } from '../../oci';
import type { ArtifactKind } from './artifactKind';

/** What `flux push artifact` writes (fluxcd/pkg oci/client/push.go): Flux config, one tar+gzip content layer. */
export const fluxManifests: ArtifactKind = {
  id: 'flux-manifests',
  label: 'Flux manifests',
  icon: 'sync',
  matches: (t) =>
    t.type === MediaType.FluxConfig || (!t.index && (t.config === MediaType.FluxConfig || t.layers.includes(MediaType.FluxContent))),
};
