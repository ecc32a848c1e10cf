import { MediaType } from '../../oci';
import { TITLE, type ArtifactKind } from './artifactKind';

/**
 * `oras push` (oras-project/oras-go content/file): one layer per file, each named by its
 * org.opencontainers.image.title; a folder is one tarball titled by its name. A single layer
 * titled "." is a whole folder, which is a manifests tarball instead.
 */
export const orasFiles: ArtifactKind = {
  id: 'oras-files',
  label: 'ORAS files',
  icon: 'files',
  matches: (_t, manifest) => {
    if (!('layers' in manifest) || !manifest.layers?.length) return false;
    const layers = manifest.layers;
    return layers.every((l) => l.annotations?.[TITLE]) && !(layers.length === 1 && layers[0].annotations?.[TITLE] === '.');
  },
};

/** One tar(+gzip) layer of manifests, as Argo CD 3.1 and our push write it. */
export const manifestsTarball: ArtifactKind = {
  id: 'manifests-tarball',
  label: 'Manifests tarball',
  icon: 'package',
  matches: (t) => !t.index && t.layers.length === 1 && (t.layers[0] === MediaType.OciLayerTarGzip || t.layers[0] === MediaType.OciLayerTar),
};

/** Not one we know: shown honestly, with its media types. */
export const unknown: ArtifactKind = {
  id: 'unknown',
  label: 'Unknown artifact',
  icon: 'question',
  matches: () => true,
};
