import * as vscode from 'vscode';
import {
  DEFAULT_CONTENT_LIMITS,
  listArtifactFiles,
  readListing,
  type ArtifactContents,
  type ArtifactListing,
  type ContentLimits,
} from '../../artifact/contents';
import type { FetchedManifest, ImageManifest, OciClient, PinnedReference } from '../../oci';
import { formatReference, isIndex } from '../../oci';

/**
 * Artifacts' manifests and unpacked files, in memory only (nothing is written to disk), keyed by
 * digest: content-addressed entries never go stale. The least recently used are dropped first.
 * A file that is a layer of its own is downloaded when it is first read, not when it is listed.
 */
export class ArtifactContentCache {
  private readonly listings = new Map<string, Promise<ArtifactListing>>();
  private readonly manifests = new Map<string, Promise<FetchedManifest>>();

  constructor(
    private readonly client: OciClient,
    private readonly maxEntries = 16,
  ) {}

  manifest(ref: PinnedReference): Promise<FetchedManifest> {
    const key = formatReference(ref);
    let entry = this.manifests.get(key);
    if (!entry) {
      entry = this.client.repository(ref).fetchManifest(ref);
      entry.catch(() => this.manifests.delete(key));
      this.manifests.set(key, entry);
      this.trim(this.manifests, 256);
    }
    return entry;
  }

  /** The artifact's files as listed: tarballs unpacked, one-file layers read on demand. */
  files(ref: PinnedReference): Promise<ArtifactListing> {
    const key = formatReference(ref);
    let entry = this.listings.get(key);
    if (entry) {
      this.listings.delete(key);
      this.listings.set(key, entry);
      return entry;
    }
    entry = (async () => {
      const { manifest } = await this.manifest(ref);
      if (isIndex(manifest)) throw new Error(`${key} is an image index; open one of its platform manifests`);
      return listArtifactFiles(this.client.repository(ref), manifest as ImageManifest, limits());
    })();
    entry.catch(() => this.listings.delete(key));
    this.listings.set(key, entry);
    this.trim(this.listings, this.maxEntries);
    return entry;
  }

  /** Every file's bytes (for Compare), within the size limits. */
  async contents(ref: PinnedReference): Promise<ArtifactContents> {
    return readListing(await this.files(ref), limits());
  }

  private trim<T>(map: Map<string, T>, max: number): void {
    while (map.size > max) map.delete(map.keys().next().value as string);
  }
}

/** The unpack limits from the settings, so a hostile or huge artifact cannot exhaust memory. */
export function limits(): ContentLimits {
  const config = vscode.workspace.getConfiguration('ociGitops.preview');
  return {
    maxTotalBytes: config.get<number>('maxArtifactMegabytes', DEFAULT_CONTENT_LIMITS.maxTotalBytes / 1048576) * 1048576,
    maxFiles: config.get<number>('maxFiles', DEFAULT_CONTENT_LIMITS.maxFiles),
    maxRatio: config.get<number>('maxCompressionRatio', DEFAULT_CONTENT_LIMITS.maxRatio),
  };
}
