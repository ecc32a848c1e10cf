import { ArtifactError } from './errors';
import { chmod, mkdir, mkdtemp, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isIndex, OciError, referenceTarget, type OciClient, type Reference, formatReference, formatRepository, pinned } from '../oci';
import { readArtifactContents, type ArtifactContents, type ContentLimits } from './contents';
import { controlComponent } from './controlPaths';
import { hostPathOf, insideFolder } from './hostPaths';

export interface PullResult {
  digest: string;
  files: number;
  skipped: ArtifactContents['skipped'];
}

/**
 * Unpacks an artifact into a folder that is empty or does not exist yet, so nothing is
 * overwritten. The files are verified in full first (readArtifactContents), written into a
 * temporary sibling folder, and that folder is renamed into place only when every file is there:
 * a failed pull leaves nothing behind. Names that are not one file on every desktop are refused
 * before anything is written (listArtifactFiles, portableNames.ts). Every path is checked to stay inside the folder, and
 * version-control control paths (`.git` and its kin) are refused, since a later git, hg or svn
 * command in the folder would run what they configure.
 */
export async function pullToFolder(
  client: OciClient,
  ref: Reference,
  folder: string,
  options: { limits?: ContentLimits; signal?: AbortSignal } = {},
): Promise<PullResult> {
  const root = resolve(folder);
  if ((await entriesOf(root)).length > 0)
    throw new ArtifactError('FOLDER_INVALID', `${folder} is not empty; pull into a new or empty folder so nothing is overwritten`);
  const repo = client.repository(ref);
  const { manifest, descriptor } = await repo.fetchManifest(ref, { signal: options.signal });
  if (isIndex(manifest))
    throw new OciError('UNSUPPORTED', `${formatRepository(ref)} ${referenceTarget(ref)} is an index; pull one of its manifests by digest`);
  const contents = await readArtifactContents(repo, manifest, options.limits, options.signal);
  const paths = [...contents.files.keys()];
  for (const path of paths) {
    const control = controlComponent(path);
    if (control !== undefined) {
      throw new OciError(
        'PROTOCOL',
        `Refusing to pull ${formatReference(pinned(ref, descriptor.digest))}: it carries "${path}", a version-control path (${control}) that would make git or another tool run the artifact's settings`,
        {
          hint: 'Nothing was written. Artifacts never need these; push the artifact again without them (Flux and `flux push artifact` leave .git out)',
        },
      );
    }
    if (!insideFolder(root, hostPathOf(root, path)))
      throw new OciError('PROTOCOL', `Refusing "${path}": it would be written outside ${folder}`);
  }
  const staging = await mkdir(dirname(root), { recursive: true })
    .then(() => mkdtemp(join(dirname(root), `.${basename(root)}.pulling-`)))
    .catch((error: Error) => {
      throw writeFailed(folder, error);
    });
  try {
    for (const path of paths) {
      const target = hostPathOf(staging, path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, contents.files.get(path)!, { mode: 0o644, flag: 'wx' });
    }
    // The folder was checked empty above; take its place (an empty folder is replaced).
    if ((await entriesOf(root)).length > 0) throw new ArtifactError('FOLDER_INVALID', `${folder} is no longer empty; nothing was written`);
    await rmdir(root).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await chmod(staging, 0o755);
    await rename(staging, root);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error instanceof OciError || error instanceof ArtifactError ? error : writeFailed(folder, error as Error);
  }
  return { digest: descriptor.digest, files: paths.length, skipped: contents.skipped };
}

function writeFailed(folder: string, error: Error): ArtifactError {
  return new ArtifactError('WRITE_FAILED', `Could not write the files into ${folder}: ${error.message}`, {
    hint: 'Nothing was written; check the folder and its permissions',
    cause: error,
  });
}

async function entriesOf(folder: string): Promise<string[]> {
  return readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    if (error.code === 'ENOTDIR')
      throw new ArtifactError('FOLDER_INVALID', `${folder} is a file, not a folder; pull into a new or empty folder`);
    throw error;
  });
}
