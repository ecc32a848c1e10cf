import * as vscode from 'vscode';
import { DEFAULT_CONTENT_LIMITS, readArtifactContents, type ArtifactContents, type ContentLimits } from '../../artifact/contents';
import type { FetchedManifest, ImageManifest, OciClient } from '../../oci';
import { isIndex } from '../../oci';

/**
 * Artifacts' manifests and unpacked files, in memory only (nothing is written to disk), keyed by
 * digest: content-addressed entries never go stale. The least recently used are dropped first.
 */
export class ArtifactContentCache {
  private readonly contents = new Map<string, Promise<ArtifactContents>>();
  private readonly manifests = new Map<string, Promise<FetchedManifest>>();

  constructor(
    private readonly client: OciClient,
    private readonly maxEntries = 16,
  ) {}

  manifest(registry: string, repository: string, digest: string): Promise<FetchedManifest> {
    const key = `${registry}/${repository}@${digest}`;
    let entry = this.manifests.get(key);
    if (!entry) {
      entry = this.client.repository({ registry, repository }).fetchManifest(digest);
      entry.catch(() => this.manifests.delete(key));
      this.manifests.set(key, entry);
      this.trim(this.manifests, 256);
    }
    return entry;
  }

  files(registry: string, repository: string, digest: string): Promise<ArtifactContents> {
    const key = `${registry}/${repository}@${digest}`;
    let entry = this.contents.get(key);
    if (entry) {
      this.contents.delete(key);
      this.contents.set(key, entry);
      return entry;
    }
    entry = (async () => {
      const { manifest } = await this.manifest(registry, repository, digest);
      if (isIndex(manifest)) throw new Error(`${repository}@${digest} is an image index; open one of its platform manifests`);
      return readArtifactContents(this.client.repository({ registry, repository }), manifest as ImageManifest, limits());
    })();
    entry.catch(() => this.contents.delete(key));
    this.contents.set(key, entry);
    this.trim(this.contents, this.maxEntries);
    return entry;
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
