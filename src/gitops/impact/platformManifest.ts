import { isIndex, type Descriptor, type ImageIndex, type ImageManifest, type Platform, type RepositoryApi } from '../../oci';
import type { IndexEvidence } from './contract';

/**
 * The platform go-containerregistry's `remote.Image` resolves an index to when its caller names
 * none, as Flux's OCIRepository does: an entry without a platform counts as this one too.
 */
export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

/** Indexes of indexes are followed this deep; go-containerregistry has no limit, a registry that loops must not hang us. */
const MAX_DEPTH = 4;

/** `linux/amd64`, `linux/arm/v7`: go-containerregistry's way of writing a platform. */
export function platformText(platform: Platform): string {
  return (
    [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/') +
    (platform['os.version'] ? `:${platform['os.version']}` : '')
  );
}

/**
 * What an index candidate holds, for consumers that read an index as an image: its entries, and
 * the manifest `remote.Image` picks without a platform option, the first entry whose platform
 * has the same OS and architecture as linux/amd64 (nested indexes followed), with its layers.
 */
export async function indexEvidence(repo: RepositoryApi, index: ImageIndex, signal?: AbortSignal): Promise<IndexEvidence> {
  const chosen = await platformImage(repo, index, 0, signal);
  return { manifests: index.manifests, ...(chosen ? { platformManifest: chosen } : {}) };
}

async function platformImage(
  repo: RepositoryApi,
  index: ImageIndex,
  depth: number,
  signal?: AbortSignal,
): Promise<IndexEvidence['platformManifest']> {
  const entry = index.manifests.find((m) => matchesDefaultPlatform(m));
  if (!entry || depth >= MAX_DEPTH) return undefined;
  const { manifest } = await repo.fetchManifest(entry.digest, { signal });
  if (isIndex(manifest)) return platformImage(repo, manifest, depth + 1, signal);
  const image = manifest as ImageManifest;
  return {
    digest: entry.digest,
    platform: platformText(entry.platform ?? DEFAULT_PLATFORM),
    layers: image.layers ?? [],
    ...(image.config?.mediaType ? { configMediaType: image.config.mediaType } : {}),
  };
}

/** go-containerregistry's `matchesPlatform` against a required platform that names only OS and architecture. */
function matchesDefaultPlatform(entry: Descriptor): boolean {
  const platform = entry.platform ?? DEFAULT_PLATFORM;
  return platform.os === DEFAULT_PLATFORM.os && platform.architecture === DEFAULT_PLATFORM.architecture;
}
