import { ArtifactError } from './errors';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { insideFolder } from './hostPaths';
import { describeProblems, portabilityProblems, type NameProblem } from './portableNames';
import { IgnoreRules } from './sourceIgnore';

export interface FolderFile {
  /** Relative path with "/" separators. */
  path: string;
  /** Where the bytes are read from (a symlink's resolved target, inside the folder). */
  source: string;
  size: number;
}

export interface FolderListing {
  directories: string[];
  files: FolderFile[];
  /** Paths left out by the ignore rules (directories end with "/"). */
  ignored: string[];
  totalBytes: number;
  /** Names that are not one file on Windows, macOS and Linux (portableNames.ts); empty unless allowed. */
  nonportable: NameProblem[];
}

export interface ListOptions {
  ignorePatterns?: string[];
  /** Follow symlinks whose target stays inside the folder; otherwise any symlink is an error. */
  resolveSymlinks?: boolean;
  /**
   * List names that would not be the same file on every desktop (a Linux-only folder pushed on
   * purpose) in `nonportable` instead of refusing the folder.
   */
  allowNonportableNames?: boolean;
}

/** Lists what a folder packs to, sorted, after ignore rules; refuses what Flux and Argo CD would not unpack. */
export async function listFolder(root: string, options: ListOptions = {}): Promise<FolderListing> {
  const rootStat = await stat(root).catch(() => undefined);
  if (!rootStat?.isDirectory()) throw new ArtifactError('FOLDER_INVALID', `${root} is not a folder`, { hint: 'Choose a folder to push' });
  const realRoot = await realpath(root);
  const rules = new IgnoreRules(options.ignorePatterns);
  const listing: FolderListing = { directories: [], files: [], ignored: [], totalBytes: 0, nonportable: [] };

  async function walk(dir: string): Promise<void> {
    await rules.loadFrom(root, dir);
    const names = (await readdir(join(root, dir))).sort();
    // One lstat per entry, all in flight at once for the folder: sequential calls leave the disk idle.
    const infos = await Promise.all(names.map((name) => lstat(join(root, dir, name))));
    for (const [index, name] of names.entries()) {
      const path = dir ? `${dir}/${name}` : name;
      if (name.includes('\\'))
        throw new ArtifactError('FILE_UNSUPPORTED', `"${path}" has a backslash in its name, which Flux refuses to unpack`, {
          hint: 'Rename it, or add it to .sourceignore',
        });
      const absolute = join(root, dir, name);
      const info = infos[index];
      const isDir = info.isDirectory() || (info.isSymbolicLink() && (await stat(absolute).catch(() => undefined))?.isDirectory());
      if (rules.ignores(isDir ? `${path}/` : path)) {
        listing.ignored.push(isDir ? `${path}/` : path);
        continue;
      }
      let source = absolute;
      if (info.isSymbolicLink()) {
        if (!options.resolveSymlinks) {
          throw new ArtifactError('FILE_UNSUPPORTED', `"${path}" is a symbolic link; Flux skips symlinks and Argo CD may refuse them`, {
            hint: 'Replace it with the file, add it to .sourceignore, or push with symlinks resolved',
          });
        }
        source = await realpath(absolute).catch(() => {
          throw new ArtifactError('FILE_UNSUPPORTED', `"${path}" is a symbolic link to something that does not exist`, {
            hint: 'Fix or remove the link',
          });
        });
        if (!insideFolder(realRoot, source)) {
          throw new ArtifactError('FILE_UNSUPPORTED', `"${path}" is a symbolic link that points outside the folder (${source})`, {
            hint: 'Only links to files inside the folder can be resolved',
          });
        }
      }
      const target = info.isSymbolicLink() ? await stat(source) : info;
      if (target.isDirectory()) {
        if (info.isSymbolicLink())
          throw new ArtifactError('FILE_UNSUPPORTED', `"${path}" is a symbolic link to a folder; only links to files are resolved`, {
            hint: 'Replace it with the folder or ignore it',
          });
        listing.directories.push(path);
        await walk(path);
      } else if (target.isFile()) {
        listing.files.push({ path, source, size: target.size });
        listing.totalBytes += target.size;
      } else {
        throw new ArtifactError('FILE_UNSUPPORTED', `"${path}" is not a regular file or folder (a socket, device or FIFO)`, {
          hint: 'Add it to .sourceignore',
        });
      }
    }
  }
  await walk('');
  listing.nonportable = portabilityProblems([...listing.directories, ...listing.files.map((f) => f.path)]);
  if (listing.nonportable.length > 0 && !options.allowNonportableNames)
    throw new ArtifactError(
      'FILE_UNSUPPORTED',
      `${root} has names that are not the same file on Windows, macOS and Linux: ${describeProblems(listing.nonportable)}`,
      {
        hint: 'Rename them or add them to .sourceignore; to push a folder meant only for Linux, push with --allow-nonportable-names (the CLI) or confirm the warning (the editor)',
      },
    );
  return listing;
}
