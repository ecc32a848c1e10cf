import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  bufferSource,
  digestOf,
  fileSource,
  formatReference,
  isOciError,
  OciError,
  validateTag,
  type BlobSource,
  type Descriptor,
  type OciClient,
  type PushedBlob,
  type Reference,
  type RepositoryApi,
  pinned,
  formatRepository,
} from '../oci';
import { listFolder, type FolderListing, type ListOptions } from './folderEntries';
import { ANNOTATION, buildManifest, configBlob, layerMediaType, type ArtifactFormat } from './formats';
import { readGitInfo, rfc3339 } from './gitInfo';
import { packFolder, packListing } from './pack';
import type { NameProblem } from './portableNames';
import { allowTagMoves, tagMoves, type TagMove } from './tagMoves';
import { errorMessage } from '../text/format';

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
  /** Told, before anything is packed, of names pushed with `allowNonportableNames` that are not portable. */
  onNonportableNames?: (problems: NameProblem[]) => void;
  /**
   * Shown the exact manifest after the folder is packed and before any blob is uploaded or tag
   * moved (the push confirmation judges it from this); false aborts with nothing pushed. With
   * it, the layer is packed first instead of streamed, since a streamed layer is uploaded before
   * its manifest exists.
   */
  beforeUpload?: (manifest: Buffer) => Promise<boolean>;
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
  /** Names pushed on purpose that are not one file on every desktop (`allowNonportableNames`). */
  nonportable: NameProblem[];
  annotations: Record<string, string>;
}

/**
 * Pushes a folder as an artifact. Nothing is tagged until every blob and the manifest are in the
 * registry (so a failed push leaves no tag), and a tag that points at another digest is only moved
 * with `force` or the user's confirmation.
 *
 * A push to tags that do not exist yet streams: the folder is read, tarred, compressed, hashed and
 * sent at once, in one upload. When a tag exists the folder is packed first, so its digest is known
 * before anything is sent: the push may be a no-op (same content, nothing uploaded) or a move the
 * user must confirm before any upload. A streamed upload that fails falls back to that path too,
 * whose upload resumes and retries, and so does a push with `beforeUpload`, which judges the
 * manifest before anything is sent.
 */
export async function pushFolder(
  client: OciClient,
  folder: string,
  target: Reference,
  options: PushFolderOptions = {},
): Promise<PushResult> {
  if (target.digest)
    throw new OciError('INVALID_REFERENCE', `Push to a tag, not a digest: ${formatReference(target)}`, { hint: 'Drop the @sha256:… part' });
  const tags = [...new Set([target.tag ?? 'latest', ...(options.tags ?? [])])];
  tags.forEach(validateTag);
  const format = options.format ?? 'default';
  const repo = client.repository(target);

  // What git says and where the tags point now are asked at the same time.
  const [git, existing] = await Promise.all([
    options.source && options.revision && options.created ? undefined : readGitInfo(folder),
    currentDigests(repo, tags, options.signal),
  ]);
  const created = options.created ?? (git?.clean ? git.commitTime : rfc3339(new Date()));
  const annotations: Record<string, string> = { [ANNOTATION.created]: created };
  const source = options.source ?? git?.source;
  const revision = options.revision ?? git?.revision;
  if (source) annotations[ANNOTATION.source] = source;
  if (revision) annotations[ANNOTATION.revision] = revision;
  Object.assign(annotations, options.annotations);

  const config = configBlob(format, created);
  const configDescriptor: Descriptor = { mediaType: config.mediaType, digest: digestOf(config.bytes), size: config.bytes.length };
  const counts = { uploadedBytes: 0, skippedBlobs: 0 };
  const count = (pushed: PushedBlob) => {
    if (pushed.how === 'uploaded') counts.uploadedBytes += pushed.size;
    else counts.skippedBlobs++;
  };
  let layers: Descriptor[] | undefined;
  let files = 0;
  let ignored: string[] = [];
  let nonportable: NameProblem[] = [];
  const take = (listing: FolderListing): FolderListing => {
    files = listing.files.length;
    ignored = listing.ignored;
    if (nonportable.length === 0 && listing.nonportable.length > 0) options.onNonportableNames?.(listing.nonportable);
    nonportable = listing.nonportable;
    return listing;
  };

  if (format !== 'oras' && existing.size === 0 && !options.beforeUpload) {
    const listing = take(await listFolder(folder, options));
    try {
      const [layer, configPushed] = await Promise.all([
        streamLayer(repo, listing, options),
        repo.pushBlob(bufferSource(config.bytes), { signal: options.signal }),
      ]);
      count(layer);
      count(configPushed);
      layers = [{ mediaType: layerMediaType(format), digest: layer.digest, size: layer.size }];
    } catch (error) {
      if (options.signal?.aborted || isOciError(error, 'CANCELLED'))
        throw new OciError('CANCELLED', 'The push was cancelled; no tag was created or moved');
      if (isOciError(error, 'UNAUTHORIZED') || isOciError(error, 'DENIED') || isOciError(error, 'NAME_INVALID')) throw error;
      repo.transport.logger.info(
        `Streaming the layer to ${formatRepository(target)} failed (${errorMessage(error)}); packing it first and uploading again`,
      );
      counts.uploadedBytes = 0;
      counts.skippedBlobs = 0;
    }
  }

  const blobs: { descriptor: Descriptor; source: BlobSource }[] = [];
  let dispose: (() => Promise<void>) | undefined;
  try {
    if (!layers) {
      if (format === 'oras') {
        const listing = take(await listFolder(folder, options));
        for (const file of listing.files) {
          const digest = await hashFile(file.source, options.signal);
          blobs.push({
            descriptor: {
              mediaType: /\.ya?ml$/i.test(file.path) ? 'application/yaml' : 'application/octet-stream',
              digest,
              size: file.size,
              annotations: { [ANNOTATION.title]: file.path },
            },
            source: fileSource(file.source, digest, file.size),
          });
        }
      } else {
        const packed = await packFolder(folder, {
          ...options,
          onProgress: (n) => options.onProgress?.({ phase: 'packing', bytesDone: n, bytesTotal: 0 }),
        });
        dispose = packed.dispose;
        take(packed.listing);
        blobs.push({
          descriptor: { mediaType: layerMediaType(format), digest: packed.digest, size: packed.size },
          source: fileSource(packed.path, packed.digest, packed.size),
        });
      }
      layers = blobs.map((b) => b.descriptor);
    }
    const manifest = buildManifest(format, configDescriptor, layers, annotations);
    const digest = digestOf(manifest);
    if (options.beforeUpload && !(await options.beforeUpload(manifest)))
      throw new OciError('CANCELLED', 'The push was cancelled before anything was uploaded; no tag was created or moved');

    const moves: TagMove[] = tags.flatMap((tag) => {
      const from = existing.get(tag);
      return from && from !== digest ? [{ tag, from, to: digest }] : [];
    });
    await allowTagMoves(target, moves, options, { verb: 'push', nothingDone: 'nothing was pushed' });

    if (blobs.length > 0) {
      const all = [{ descriptor: configDescriptor, source: bufferSource(config.bytes) }, ...blobs];
      const total = all.reduce((n, b) => n + b.descriptor.size, 0);
      let done = 0;
      for (const blob of all) {
        const base = done;
        count(
          await repo.pushBlob(blob.source, {
            signal: options.signal,
            onProgress: (n) => options.onProgress?.({ phase: 'uploading', bytesDone: base + n, bytesTotal: total }),
          }),
        );
        done += blob.descriptor.size;
      }
    }
    const size = layers.reduce((n, l) => n + l.size, configDescriptor.size);
    options.onProgress?.({ phase: 'tagging', bytesDone: size, bytesTotal: size });
    await repo.pushManifest(manifest, 'application/vnd.oci.image.manifest.v1+json', digest, { signal: options.signal });
    await Promise.all(
      tags.map((tag) => repo.pushManifest(manifest, 'application/vnd.oci.image.manifest.v1+json', tag, { signal: options.signal })),
    );
    return {
      digest,
      pinned: formatReference(pinned(target, digest)),
      tags,
      manifest,
      layers,
      uploadedBytes: counts.uploadedBytes,
      skippedBlobs: counts.skippedBlobs,
      files,
      ignored,
      nonportable,
      annotations,
    };
  } finally {
    await dispose?.();
  }
}

/** The folder's layer, packed and uploaded in one pass; progress counts the folder's bytes read. */
async function streamLayer(repo: RepositoryApi, listing: FolderListing, options: PushFolderOptions): Promise<PushedBlob> {
  const packed = packListing(listing, {
    ...options,
    onProgress: (n) => options.onProgress?.({ phase: 'uploading', bytesDone: n, bytesTotal: listing.totalBytes }),
  });
  return repo.pushBlobStream(packed.stream, { signal: options.signal });
}

/** The digest each tag points at now; tags that do not exist (nor their repository) are left out. */
async function currentDigests(repo: RepositoryApi, tags: string[], signal?: AbortSignal): Promise<Map<string, string>> {
  // Against no digest at all, every tag that exists is one that "would move": from is where it points.
  return new Map((await tagMoves(repo, tags, '', signal)).map((move) => [move.tag, move.from]));
}

async function hashFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { signal })) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
