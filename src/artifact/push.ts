import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { bufferSource, digestOf, fileSource, formatReference, OciError, validateTag, type BlobSource, type Descriptor, type OciClient, type Reference } from '../oci';
import type { ListOptions } from './folderEntries';
import { listFolder } from './folderEntries';
import { ANNOTATION, buildManifest, configBlob, layerMediaType, type ArtifactFormat } from './formats';
import { readGitInfo, rfc3339 } from './gitInfo';
import { packFolder } from './pack';
import { allowTagMoves, tagMoves, type TagMove } from './tagMoves';

export type { TagMove };

export interface PushFolderOptions extends ListOptions {
  /** Tags in addition to the reference's own tag. */
  tags?: string[];
  format?: ArtifactFormat;
  /** Defaults from git: the remote URL (credentials stripped) and `<branch>@sha1:<commit>`. */
  source?: string;
  revision?: string;
  /** Default: the commit time when the folder is clean in git, else now. */
  created?: string;
  annotations?: Record<string, string>;
  /** Move tags that already point at another digest without asking. */
  force?: boolean;
  /** Asked when a tag points at another digest and `force` is off; false aborts before any upload. */
  confirmMove?: (moves: TagMove[]) => Promise<boolean>;
  signal?: AbortSignal;
  onProgress?: (progress: PushProgress) => void;
}

export interface PushProgress {
  phase: 'packing' | 'uploading' | 'tagging';
  bytesDone: number;
  bytesTotal: number;
}

export interface PushResult {
  digest: string;
  /** `registry/repository@sha256:…` */
  pinned: string;
  tags: string[];
  manifest: Buffer;
  layers: Descriptor[];
  uploadedBytes: number;
  skippedBlobs: number;
  files: number;
  ignored: string[];
  annotations: Record<string, string>;
}

/**
 * Pushes a folder as an artifact. Nothing is tagged until every blob and the manifest are in the
 * registry (so a failed push leaves no tag), and a tag that points at another digest is only moved
 * with `force` or the user's confirmation.
 */
export async function pushFolder(client: OciClient, folder: string, target: Reference, options: PushFolderOptions = {}): Promise<PushResult> {
  if (target.digest) throw new OciError('INVALID_REFERENCE', `Push to a tag, not a digest: ${formatReference(target)}`, { hint: 'Drop the @sha256:… part' });
  const tags = [...new Set([target.tag ?? 'latest', ...(options.tags ?? [])])];
  tags.forEach(validateTag);
  const format = options.format ?? 'default';
  const repo = client.repository(target);

  const git = options.source && options.revision && options.created ? undefined : await readGitInfo(folder);
  const created = options.created ?? (git?.clean ? git.commitTime : rfc3339(new Date()));
  const annotations: Record<string, string> = { [ANNOTATION.created]: created };
  const source = options.source ?? git?.source;
  const revision = options.revision ?? git?.revision;
  if (source) annotations[ANNOTATION.source] = source;
  if (revision) annotations[ANNOTATION.revision] = revision;
  Object.assign(annotations, options.annotations);

  const config = configBlob(format, created);
  const blobs: { descriptor: Descriptor; source: BlobSource }[] = [];
  let dispose: (() => Promise<void>) | undefined;
  let files = 0;
  let ignored: string[] = [];
  try {
    if (format === 'oras') {
      const listing = await listFolder(folder, options);
      files = listing.files.length;
      ignored = listing.ignored;
      for (const file of listing.files) {
        const digest = await hashFile(file.source, options.signal);
        blobs.push({
          descriptor: { mediaType: /\.ya?ml$/i.test(file.path) ? 'application/yaml' : 'application/octet-stream', digest, size: file.size, annotations: { [ANNOTATION.title]: file.path } },
          source: fileSource(file.source, digest, file.size),
        });
      }
    } else {
      const packed = await packFolder(folder, { ...options, onProgress: (n) => options.onProgress?.({ phase: 'packing', bytesDone: n, bytesTotal: 0 }) });
      dispose = packed.dispose;
      files = packed.listing.files.length;
      ignored = packed.listing.ignored;
      blobs.push({ descriptor: { mediaType: layerMediaType(format), digest: packed.digest, size: packed.size }, source: fileSource(packed.path, packed.digest, packed.size) });
    }
    const configDescriptor: Descriptor = { mediaType: config.mediaType, digest: digestOf(config.bytes), size: config.bytes.length };
    const manifest = buildManifest(format, configDescriptor, blobs.map((b) => b.descriptor), annotations);
    const digest = digestOf(manifest);

    const moves = await tagMoves(repo, tags, digest, options.signal);
    await allowTagMoves(target, moves, options, { verb: 'push', nothingDone: 'nothing was pushed' });

    const all = [{ descriptor: configDescriptor, source: bufferSource(config.bytes) }, ...blobs];
    const total = all.reduce((n, b) => n + b.descriptor.size, 0);
    let done = 0;
    let uploadedBytes = 0;
    let skippedBlobs = 0;
    for (const blob of all) {
      const base = done;
      const pushed = await repo.pushBlob(blob.source, {
        signal: options.signal,
        onProgress: (n) => options.onProgress?.({ phase: 'uploading', bytesDone: base + n, bytesTotal: total }),
      });
      done += blob.descriptor.size;
      if (pushed.how === 'uploaded') uploadedBytes += blob.descriptor.size;
      else skippedBlobs++;
    }
    options.onProgress?.({ phase: 'tagging', bytesDone: total, bytesTotal: total });
    await repo.pushManifest(manifest, 'application/vnd.oci.image.manifest.v1+json', digest, { signal: options.signal });
    for (const tag of tags) await repo.pushManifest(manifest, 'application/vnd.oci.image.manifest.v1+json', tag, { signal: options.signal });
    return {
      digest,
      pinned: `${target.registry}/${target.repository}@${digest}`,
      tags,
      manifest,
      layers: blobs.map((b) => b.descriptor),
      uploadedBytes,
      skippedBlobs,
      files,
      ignored,
      annotations,
    };
  } finally {
    await dispose?.();
  }
}

async function hashFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { signal })) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
