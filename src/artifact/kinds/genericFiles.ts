import { MediaType } from '../../oci';
import { isIndex } from '../../oci';
import { TITLE, type ArtifactKind, type KindFacts } from './artifactKind';

/** Files and sizes from the manifest alone: what a data artifact (an image volume's, say) holds, nothing downloaded. */
const titledFiles: ArtifactKind['facts'] = (manifest) => {
  if (isIndex(manifest)) return Promise.resolve({});
  const facts: KindFacts = {
    files: manifest.layers.map((l) => ({ path: l.annotations?.[TITLE], size: l.size, mediaType: l.mediaType })),
    totalSize: manifest.layers.reduce((n, l) => n + l.size, 0),
  };
  return Promise.resolve(facts);
};

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
  facts: titledFiles,
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
  // Said honestly: which types it carries, and what its layers are, so a user can tell what made it.
  facts(manifest) {
    if (isIndex(manifest))
      return Promise.resolve({
        artifactType: manifest.artifactType,
        manifests: manifest.manifests.map((m) => m.artifactType ?? m.mediaType),
      });
    return Promise.resolve(
      Object.fromEntries(
        Object.entries({
          artifactType: manifest.artifactType,
          config: manifest.config.mediaType,
          layers: manifest.layers.map((l) => `${l.mediaType} (${l.size} bytes)`),
        }).filter(([, value]) => value !== undefined),
      ),
    );
  },
};
