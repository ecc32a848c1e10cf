import { isIndex } from '../../oci';
import { zipListing } from '../zipListing';
import { TITLE, type ArtifactKind, type KindFacts } from './artifactKind';
import { errorMessage, shortDigest } from '../../text/format';

// OpenTofu's OCI layouts (opentofu/opentofu website/docs/cli/oci_registries/module-package.mdx and
// provider-mirror.mdx): a module package is an image manifest of artifactType
// application/vnd.opentofu.modulepkg with one archive/zip layer; a provider release is an index of
// artifactType application/vnd.opentofu.provider whose manifests (artifactType
// application/vnd.opentofu.provider-target, a platform each) hold the provider's .zip as one
// archive/zip layer, pushed with `oras push --artifact-platform`.
const MODULE = 'application/vnd.opentofu.modulepkg';
const PROVIDER = 'application/vnd.opentofu.provider';
const PROVIDER_TARGET = 'application/vnd.opentofu.provider-target';
const ZIP = 'archive/zip';
/** Module packages are source code; a larger zip is described by its size. */
const MAX_MODULE_ZIP_BYTES = 4 * 1024 * 1024;

export const opentofuModule: ArtifactKind = {
  id: 'opentofu-module',
  label: 'OpenTofu module',
  icon: 'symbol-module',
  matches: (t) => t.type === MODULE,
  async facts(manifest, read) {
    if (isIndex(manifest)) return {};
    const zip = manifest.layers.find((l) => l.mediaType === ZIP);
    if (!zip) return { package: 'missing: no archive/zip layer' };
    const facts: KindFacts = { package: zip.annotations?.[TITLE] ?? zip.digest, packageSize: zip.size };
    if (zip.size > MAX_MODULE_ZIP_BYTES)
      return { ...facts, files: `not listed: the package is over ${MAX_MODULE_ZIP_BYTES / 1048576} MiB` };
    try {
      facts.files = zipListing(await read(zip, MAX_MODULE_ZIP_BYTES)).map((entry) => ({ path: entry.path, size: entry.size }));
    } catch (error) {
      facts.files = `not listed: ${errorMessage(error)}`;
    }
    return facts;
  },
  headline: (facts) => (Array.isArray(facts.files) ? `OpenTofu module, ${facts.files.length} files` : undefined),
  // The package's .tf files, unpacked from its zip (a provider's zip, a binary, stays one file read on demand).
  files: (manifest) => manifest.layers.filter((l) => l.mediaType === ZIP).map((layer) => ({ layer, as: 'zip' })),
};

export const opentofuProvider: ArtifactKind = {
  id: 'opentofu-provider',
  label: 'OpenTofu provider',
  icon: 'plug',
  matches: (t) => t.type === PROVIDER || t.type === PROVIDER_TARGET,
  facts(manifest) {
    if (isIndex(manifest)) {
      const targets = manifest.manifests.filter((m) => m.artifactType === PROVIDER_TARGET || m.platform);
      return Promise.resolve({
        platforms: targets.map((m) => (m.platform ? `${m.platform.os}/${m.platform.architecture}` : shortDigest(m.digest))),
      });
    }
    // One platform's package: described by its manifest; the zip is downloaded only when opened.
    const zip = manifest.layers.find((l) => l.mediaType === ZIP);
    return Promise.resolve(
      zip ? { package: zip.annotations?.[TITLE] ?? zip.digest, packageSize: zip.size } : { package: 'missing: no archive/zip layer' },
    );
  },
  headline: (facts) => (Array.isArray(facts.platforms) ? `OpenTofu provider, ${facts.platforms.length} platforms` : undefined),
};
