/** One entry of a folder inside an artifact, whose files are a flat map of "a/b/c.yaml" paths. */
export interface FolderEntry {
  name: string;
  /** The entry's full path in the artifact. */
  path: string;
  isDirectory: boolean;
}

/**
 * The entries directly inside `folder` ('' for the top) of an artifact's flat file list: folders
 * first, then files, each by name. The tree and the oci: file system show folders this one way.
 */
export function folderEntries(paths: Iterable<string>, folder: string): FolderEntry[] {
  const prefix = folder ? `${folder}/` : '';
  const entries = new Map<string, boolean>();
  for (const path of paths) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) {
      if (!entries.has(rest)) entries.set(rest, false);
    } else entries.set(rest.slice(0, slash), true);
  }
  return [...entries]
    .sort(([a, aDir], [b, bDir]) => (aDir === bDir ? a.localeCompare(b) : aDir ? -1 : 1))
    .map(([name, isDirectory]) => ({ name, path: `${prefix}${name}`, isDirectory }));
}

/** Whether `path` is a folder of the artifact: some file lies under it. */
export function isFolder(paths: Iterable<string>, path: string): boolean {
  for (const file of paths) if (file.startsWith(`${path}/`)) return true;
  return false;
}
