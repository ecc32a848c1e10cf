import { MediaType } from '../../oci';
import { TITLE, type ArtifactKind, type FileLayer } from './artifactKind';

// `kcl mod push` (kcl-lang/kpm pkg/oci/oci.go, PushWithOciManifest; pkg/constants/constants.go):
// oras-go packs the package's `<name>-<version>.tar` as the one layer, media type and artifactType
// application/vnd.oci.image.layer.v1.tar, with the package's name, version and description as
// manifest annotations org.kcllang.package.*.
const NAME = 'org.kcllang.package.name';
const VERSION = 'org.kcllang.package.version';
const DESCRIPTION = 'org.kcllang.package.description';

export const kclModule: ArtifactKind = {
  id: 'kcl-module',
  label: 'KCL module',
  icon: 'symbol-namespace',
  matches: (t, manifest) => !t.index && manifest.annotations?.[NAME] !== undefined,
  facts: (manifest) => {
    const a = manifest.annotations ?? {};
    return Promise.resolve(
      Object.fromEntries(Object.entries({ name: a[NAME], version: a[VERSION], description: a[DESCRIPTION] }).filter(([, v]) => v)),
    );
  },
  headline: (facts) => (facts.version ? `KCL ${String(facts.name)} ${String(facts.version)}` : undefined),
  // The tarball is the package folder (kcl.mod, main.k …), shown unpacked rather than as one .tar file.
  files: (manifest) =>
    manifest.layers.map((layer): FileLayer =>
      layer.mediaType === MediaType.OciLayerTar || layer.mediaType === MediaType.OciLayerTarGzip
        ? { layer, as: layer.mediaType === MediaType.OciLayerTar ? 'tar' : 'tar+gzip' }
        : { layer, as: 'file', path: layer.annotations?.[TITLE] ?? layer.digest.replace(':', '-') },
    ),
};
