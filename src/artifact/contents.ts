import { type Readable } from 'node:stream';
import { isIndex, MediaType, OciError, type Descriptor, type ImageManifest, type RepositoryApi } from '../oci';
import { DEFAULT_DECOMPRESS_LIMITS, gunzipLimited } from './decompress';
import { ANNOTATION } from './formats';
import { recognise, type FileLayer } from './kinds';
import { normaliseEntryName, readTar } from './tarReader';

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

const TARBALL_TYPES = new Set<string>([
  MediaType.OciLayerTarGzip,
  MediaType.FluxContent,
  MediaType.HelmChart,
  'application/tar+gzip',
  MediaType.OciLayerTar,
]);

/**
 * Reads an artifact's files the way its consumers see them: a single tarball layer is unpacked
 * (Flux takes the first layer, Argo CD the one content layer); ORAS-style titled layers become
 * files named by their titles.
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
  if (isIndex(manifest)) throw new OciError('UNSUPPORTED', 'This is an image index; open one of its manifests instead');
  const layers = manifest.layers ?? [];
  const out: ArtifactContents = { files: new Map(), skipped: [], layers: [] };
  const titled = layers.filter((l) => l.annotations?.[ANNOTATION.title]);
  const state: UnpackState = { total: 0, directories: new Set() };
  const own = recognise(manifest).kind.files?.(manifest);
  if (own) {
    for (const file of own) await readFileLayer(repo, file, out, limits, state, signal);
    return out;
  }
  if (
    titled.length > 0 &&
    titled.length === layers.length &&
    !(layers.length === 1 && TARBALL_TYPES.has(layers[0].mediaType) && layers[0].annotations?.[ANNOTATION.title] === '.')
  ) {
    for (const layer of titled) {
      const title = normaliseEntryName(layer.annotations![ANNOTATION.title]);
      if (layer.annotations?.['io.deis.oras.content.unpack'] === 'true') {
        await unpackInto(repo, layer, out, limits, state, signal, title);
      } else {
        add(out, title, await repo.fetchBlobBytes(layer, { signal, maxBytes: limits.maxTotalBytes - state.total }), limits, state);
      }
      out.layers.push(layer);
    }
    return out;
  }
  const tarball = layers.find((l) => TARBALL_TYPES.has(l.mediaType)) ?? layers[0];
  if (!tarball) throw new OciError('UNSUPPORTED', 'The artifact has no layers, so it has no files');
  await unpackInto(repo, tarball, out, limits, state, signal, '');
  out.layers.push(tarball);
  return out;
}

/** A layer as its kind says to read it: a tarball under a folder, or one file. */
async function readFileLayer(
  repo: RepositoryApi,
  file: FileLayer,
  out: ArtifactContents,
  limits: ContentLimits,
  state: UnpackState,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (file.as === 'file') {
    const path = normaliseEntryName(file.path);
    add(out, path, await repo.fetchBlobBytes(file.layer, { signal, maxBytes: limits.maxTotalBytes - state.total }), limits, state);
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

interface UnpackState {
  total: number;
  /** Every folder seen so far, named or implied by a file's path. */
  directories: Set<string>;
}

async function unpackInto(
  repo: RepositoryApi,
  layer: Descriptor,
  out: ArtifactContents,
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
      if (entry.type === 'file') add(out, path, entry.content, limits, state);
      else if (entry.type === 'directory') addDirectory(out, path, state);
      else out.skipped.push({ path, reason: `symbolic link to ${entry.target} (Flux skips symlinks)` });
    }
  } finally {
    // Ends the download (and frees its connection) whatever stopped the read.
    blob.destroy();
  }
}

function add(out: ArtifactContents, path: string, content: Buffer, limits: ContentLimits, state: UnpackState): void {
  if (path === '') throw new OciError('PROTOCOL', 'The artifact has a file with an empty name');
  if (out.files.has(path)) throw malformed(`"${path}" appears twice`);
  if (state.directories.has(path)) throw malformed(`"${path}" is both a file and a folder`);
  const parents = parentsOf(path);
  const clash = parents.find((parent) => out.files.has(parent));
  if (clash !== undefined) throw malformed(`"${clash}" is both a file and a folder (of "${path}")`);
  state.total += content.length;
  if (state.total > limits.maxTotalBytes)
    throw new OciError(
      'TOO_LARGE',
      `The artifact's files add up to more than ${limits.maxTotalBytes} bytes; raise the size limit if it is expected`,
    );
  if (out.files.size + 1 > limits.maxFiles)
    throw new OciError('TOO_LARGE', `The artifact has more than ${limits.maxFiles} files; raise the file-count limit if it is expected`);
  for (const parent of parents) state.directories.add(parent);
  out.files.set(path, content);
}

function addDirectory(out: ArtifactContents, path: string, state: UnpackState): void {
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
