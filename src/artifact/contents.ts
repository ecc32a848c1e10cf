import { type Readable } from 'node:stream';
import { isIndex, MediaType, OciError, type Descriptor, type ImageManifest, type RepositoryApi } from '../oci';
import { limiter } from './copy/limiter';
import { DEFAULT_DECOMPRESS_LIMITS, gunzipLimited } from './decompress';
import { ANNOTATION } from './formats';
import { recognise, type FileLayer } from './kinds';
import { refuseNonportableArtifact } from './portableNames';
import { normaliseEntryName, readTar } from './tarReader';
import { zipEntryContent, zipListing } from './zipListing';

export interface ContentLimits {
  /** Most bytes of file content in all. */
  maxTotalBytes: number;
  maxFiles: number;
  /** Most bytes out per compressed byte. */
  maxRatio: number;
}

export const DEFAULT_CONTENT_LIMITS: ContentLimits = {
  maxTotalBytes: 256 * 1024 * 1024,
  maxFiles: 20_000,
  maxRatio: DEFAULT_DECOMPRESS_LIMITS.maxRatio,
};

/** An artifact's files: path → bytes, plus what was left out and why. */
export interface ArtifactContents {
  files: Map<string, Buffer>;
  /** Entries not taken, e.g. symlinks (skipped as Flux skips them). */
  skipped: { path: string; reason: string }[];
  /** Which layers the files came from. */
  layers: Descriptor[];
}

/** One file of an artifact as listed: its size, and its bytes on demand. */
export interface ListedFile {
  /** Bytes; for a file packed in a tarball and not yet read, the size its layer declares. */
  size: number;
  /** Its bytes, verified against the layer's digest; read (and downloaded) once, on first call. */
  read(options?: { signal?: AbortSignal; maxBytes?: number }): Promise<Buffer>;
}

/** An artifact's files as the explorer browses them: a file that is a layer of its own is not downloaded until it is read. */
export interface ArtifactListing {
  files: Map<string, ListedFile>;
  skipped: { path: string; reason: string }[];
  layers: Descriptor[];
}

/** Files read at once: the files of most artifacts in one round trip, without opening hundreds of connections. */
const READS_AT_ONCE = 32;

const TARBALL_TYPES = new Set<string>([
  MediaType.OciLayerTarGzip,
  MediaType.FluxContent,
  MediaType.HelmChart,
  'application/tar+gzip',
  MediaType.OciLayerTar,
]);

/**
 * Where an artifact's files are, from its manifest: what its kind says, else the generic rule
 * (ORAS titled layers are files named by their titles; otherwise the one tarball is unpacked,
 * as Flux takes the first layer and Argo CD the one content layer).
 */
export function fileLayersOf(manifest: ImageManifest): FileLayer[] {
  const own = recognise(manifest).kind.files?.(manifest);
  if (own) return own;
  const layers = manifest.layers ?? [];
  const titled = layers.filter((l) => l.annotations?.[ANNOTATION.title]);
  if (
    titled.length > 0 &&
    titled.length === layers.length &&
    !(layers.length === 1 && TARBALL_TYPES.has(layers[0].mediaType) && layers[0].annotations?.[ANNOTATION.title] === '.')
  ) {
    return titled.map((layer): FileLayer => {
      const title = layer.annotations![ANNOTATION.title];
      return layer.annotations?.['io.deis.oras.content.unpack'] === 'true'
        ? { layer, as: layer.mediaType === MediaType.OciLayerTar ? 'tar' : 'tar+gzip', prefix: title }
        : { layer, as: 'file', path: title };
    });
  }
  const tarball = layers.find((l) => TARBALL_TYPES.has(l.mediaType)) ?? layers[0];
  if (!tarball) throw new OciError('UNSUPPORTED', 'The artifact has no layers, so it has no files');
  return [{ layer: tarball, as: tarball.mediaType === MediaType.OciLayerTar ? 'tar' : 'tar+gzip' }];
}

/**
 * Lists an artifact's files, refusing the artifact when their names are not portable (portableNames.ts). Tarballs are downloaded and unpacked (their names are inside them);
 * a file that is a layer of its own (ORAS files, model weights, Tekton resources) is listed from
 * the manifest and downloaded only when read, so a large model or provider is browsed without
 * fetching the layers nobody opens. Each read stays within `limits.maxTotalBytes`.
 */
export async function listArtifactFiles(
  repo: RepositoryApi,
  manifest: ImageManifest,
  limits: ContentLimits = DEFAULT_CONTENT_LIMITS,
  signal?: AbortSignal,
): Promise<ArtifactListing> {
  if (isIndex(manifest)) throw new OciError('UNSUPPORTED', 'This is an image index; open one of its manifests instead');
  const out: ArtifactListing = { files: new Map(), skipped: [], layers: [] };
  const state: UnpackState = { total: 0, directories: new Set() };
  for (const file of fileLayersOf(manifest)) {
    if (file.as === 'file') {
      add(out, normaliseEntryName(file.path), onDemand(repo, file, limits), limits, state, false);
    } else if (file.as === 'zip') {
      await unzipInto(repo, file.layer, out, limits, state, signal, file.prefix ? normaliseEntryName(file.prefix) : '');
    } else {
      await unpackInto(
        repo,
        file.layer,
        out,
        limits,
        state,
        signal,
        file.prefix ? normaliseEntryName(file.prefix) : '',
        file.as === 'tar+gzip',
      );
    }
    out.layers.push(file.layer);
  }
  refuseNonportableArtifact(out.files.keys());
  return out;
}

/**
 * Reads an artifact's files the way its consumers see them (see `fileLayersOf`).
 *
 * This is the one path by which artifact files reach a user (pull, diff, the preview, the panel,
 * Compare): every blob is read to its end through its digest and size check before the files are
 * handed out, so nothing from a blob that is not the one the manifest names is ever written,
 * shown or compared. A refusal (a bad entry, a limit, a failed check) ends the download at once.
 */
export async function readArtifactContents(
  repo: RepositoryApi,
  manifest: ImageManifest,
  limits: ContentLimits = DEFAULT_CONTENT_LIMITS,
  signal?: AbortSignal,
): Promise<ArtifactContents> {
  return readListing(await listArtifactFiles(repo, manifest, limits, signal), limits, signal);
}

/** Every file of a listing read, within the limit on their total size. */
export async function readListing(listing: ArtifactListing, limits: ContentLimits, signal?: AbortSignal): Promise<ArtifactContents> {
  // The files are independent: read together, they cost one round trip instead of one each.
  const entries = [...listing.files];
  const stop = new AbortController();
  const readSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  const run = limiter(READS_AT_ONCE);
  let total = 0;
  try {
    const contents = await Promise.all(
      entries.map(([, file]) =>
        run(async () => {
          const content = await file.read({ signal: readSignal, maxBytes: limits.maxTotalBytes - total });
          total += content.length;
          if (total > limits.maxTotalBytes) throw tooLarge(limits);
          return content;
        }),
      ),
    );
    return { files: new Map(entries.map(([path], i) => [path, contents[i]])), skipped: listing.skipped, layers: listing.layers };
  } catch (error) {
    // The first refusal ends every other download at once.
    stop.abort(error);
    throw error;
  }
}

/** A one-file layer, downloaded on first read: the layer's bytes, or the one file of its tarball. */
function onDemand(repo: RepositoryApi, file: Extract<FileLayer, { as: 'file' }>, limits: ContentLimits): ListedFile {
  let content: Promise<Buffer> | undefined;
  const listed: ListedFile = {
    size: file.size ?? file.layer.size,
    read: ({ signal, maxBytes = limits.maxTotalBytes } = {}) => {
      content ??= (
        file.packed ? onlyFileOf(repo, file, limits, maxBytes, signal) : repo.fetchBlobBytes(file.layer, { signal, maxBytes })
      ).then((bytes) => {
        listed.size = bytes.length;
        return bytes;
      });
      content.catch(() => (content = undefined));
      return content;
    },
  };
  return listed;
}

async function onlyFileOf(
  repo: RepositoryApi,
  file: Extract<FileLayer, { as: 'file' }>,
  limits: ContentLimits,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<Buffer> {
  const out: ArtifactListing = { files: new Map(), skipped: [], layers: [] };
  const state: UnpackState = { total: 0, directories: new Set() };
  await unpackInto(
    repo,
    file.layer,
    out,
    { ...limits, maxTotalBytes: Math.min(maxBytes, limits.maxTotalBytes) },
    state,
    signal,
    '',
    file.packed === 'tar+gzip',
  );
  const files = [...out.files.values()];
  if (files.length !== 1)
    throw new OciError('PROTOCOL', `The layer ${file.layer.digest} should hold the one file "${file.path}" but holds ${files.length}`, {
      hint: 'Its kind puts one file in each layer; the artifact was not written by its tool',
    });
  return files[0].read({ signal });
}

interface UnpackState {
  total: number;
  /** Every folder seen so far, named or implied by a file's path. */
  directories: Set<string>;
}

async function unpackInto(
  repo: RepositoryApi,
  layer: Descriptor,
  out: ArtifactListing,
  limits: ContentLimits,
  state: UnpackState,
  signal: AbortSignal | undefined,
  prefix: string,
  gzipped = layer.mediaType !== MediaType.OciLayerTar,
): Promise<void> {
  // The whole blob is read to verify it, so one far larger than what may unpack from it is refused up front.
  const maxLayerBytes = limits.maxTotalBytes * 2 + 1024 * 1024;
  if (layer.size > maxLayerBytes) {
    throw new OciError(
      'TOO_LARGE',
      `The layer ${layer.digest} is ${layer.size} bytes, more than an artifact within the ${limits.maxTotalBytes}-byte unpack limit can be; raise the size limit if it is expected`,
    );
  }
  const blob = await repo.fetchBlob(layer, { signal });
  try {
    const chunks = gzipped
      ? gunzipLimited(blob, { maxOutputBytes: maxLayerBytes, maxRatio: limits.maxRatio })
      : (blob as Readable as AsyncIterable<Buffer>);
    // readTar reads the blob to its end, so the digest check has passed when the loop is done.
    for await (const entry of readTar(chunks, { maxEntries: limits.maxFiles * 2, maxTotalBytes: limits.maxTotalBytes - state.total })) {
      const path = prefix ? `${prefix}/${entry.path}` : entry.path;
      if (entry.type === 'file') add(out, path, inMemory(entry.content), limits, state, true);
      else if (entry.type === 'directory') addDirectory(out, path, state);
      else out.skipped.push({ path, reason: `symbolic link to ${entry.target} (Flux skips symlinks)` });
    }
  } finally {
    // Ends the download (and frees its connection) whatever stopped the read.
    blob.destroy();
  }
}

/** A zip layer (an OpenTofu module package): read whole, verified, then its files taken by the central directory. */
async function unzipInto(
  repo: RepositoryApi,
  layer: Descriptor,
  out: ArtifactListing,
  limits: ContentLimits,
  state: UnpackState,
  signal: AbortSignal | undefined,
  prefix: string,
): Promise<void> {
  const zip = await repo.fetchBlobBytes(layer, { signal, maxBytes: limits.maxTotalBytes });
  const entries = zipListing(zip);
  // The whole archive first, from what its directory declares: 250 entries of 1 MiB of zeros each pass
  // the per-entry check below (small entries skip it) but together inflate 900 times the zip.
  const declared = entries.reduce((sum, entry) => sum + entry.size, 0);
  if (declared > limits.maxTotalBytes - state.total) throw tooLarge(limits);
  if (declared > 1024 * 1024 && declared / Math.max(1, zip.length) > limits.maxRatio)
    throw new OciError(
      'TOO_LARGE',
      `The zip archive ${layer.digest} declares ${declared} bytes of files, more than ${limits.maxRatio}× its ${zip.length} bytes (a zip bomb?); refusing to unpack it`,
    );
  for (const entry of entries) {
    if (entry.compressedSize > 0 && entry.size > 1024 * 1024 && entry.size / entry.compressedSize > limits.maxRatio)
      throw new OciError(
        'TOO_LARGE',
        `"${entry.path}" inflates more than ${limits.maxRatio}× its compressed size (a zip bomb?); refusing to unpack it`,
      );
    const content = zipEntryContent(zip, entry, limits.maxTotalBytes - state.total);
    const path = normaliseEntryName(entry.path);
    add(out, prefix ? `${prefix}/${path}` : path, inMemory(content), limits, state, true);
  }
}

function inMemory(content: Buffer): ListedFile {
  return { size: content.length, read: () => Promise.resolve(content) };
}

function tooLarge(limits: ContentLimits): OciError {
  return new OciError(
    'TOO_LARGE',
    `The artifact's files add up to more than ${limits.maxTotalBytes} bytes; raise the size limit if it is expected`,
  );
}

/** Adds a file; an unpacked file's bytes count against the total now, a file read on demand when it is read. */
function add(out: ArtifactListing, path: string, file: ListedFile, limits: ContentLimits, state: UnpackState, unpacked: boolean): void {
  if (path === '') throw new OciError('PROTOCOL', 'The artifact has a file with an empty name');
  if (out.files.has(path)) throw malformed(`"${path}" appears twice`);
  if (state.directories.has(path)) throw malformed(`"${path}" is both a file and a folder`);
  const parents = parentsOf(path);
  const clash = parents.find((parent) => out.files.has(parent));
  if (clash !== undefined) throw malformed(`"${clash}" is both a file and a folder (of "${path}")`);
  if (unpacked) state.total += file.size;
  if (state.total > limits.maxTotalBytes) throw tooLarge(limits);
  if (out.files.size + 1 > limits.maxFiles)
    throw new OciError('TOO_LARGE', `The artifact has more than ${limits.maxFiles} files; raise the file-count limit if it is expected`);
  for (const parent of parents) state.directories.add(parent);
  out.files.set(path, file);
}

function addDirectory(out: ArtifactListing, path: string, state: UnpackState): void {
  for (const folder of [...parentsOf(path), path]) {
    if (out.files.has(folder)) throw malformed(`"${folder}" is both a file and a folder`);
    state.directories.add(folder);
  }
}

/** "a/b/c" → ["a", "a/b"] */
function parentsOf(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/**
 * Tar tools let a later entry replace an earlier one; which one a consumer ends up with depends on
 * the tool, so such an archive is refused rather than guessed at.
 */
function malformed(what: string): OciError {
  return new OciError('PROTOCOL', `The artifact's archive is ambiguous: ${what}`, {
    hint: 'Different tools would unpack different files from it; push it again from a clean folder',
  });
}
