import path, { type PlatformPath } from 'node:path';

/**
 * Where artifact paths ("/"-separated, relative) meet the host's paths. Each takes the platform's
 * path module (default: this host's), so the Windows rules (`\` and `/` both separators, drive
 * letters, case-insensitive drives) are tested with `path.win32` on any machine.
 */

/** Whether `target` lies strictly inside `folder`; on Windows a path on another drive does not. */
export function insideFolder(folder: string, target: string, paths: PlatformPath = path): boolean {
  const relative = paths.relative(folder, target);
  return relative !== '' && !paths.isAbsolute(relative) && relative !== '..' && !relative.startsWith(`..${paths.sep}`);
}

/** The host path of an artifact path under `folder`. */
export function hostPathOf(folder: string, artifactPath: string, paths: PlatformPath = path): string {
  return paths.join(folder, ...artifactPath.split('/'));
}

/**
 * A folder's key in `.oci-gitops.yaml`: relative to the workspace root with "/" separators ("." for
 * the root), so the file means the same folder on every desktop that checks it out.
 */
export function folderKey(root: string, folder: string, paths: PlatformPath = path): string {
  if (!insideFolder(root, folder, paths)) {
    if (paths.relative(root, folder) === '') return '.';
    throw new Error(`${folder} is not inside ${root}`);
  }
  return paths.relative(root, folder).split(paths.sep).join('/');
}

/**
 * Whether a command-line argument can only be a local path, not a registry reference: absolute
 * (`/srv/app`, `C:\app`, `\\server\share`), relative to here (`.`, `./app`, `..\app`), or, on
 * Windows, holding a backslash, which no reference has.
 */
export function isLocalPathArgument(input: string, paths: PlatformPath = path): boolean {
  if (paths.isAbsolute(input) || /^\.\.?(\/|$)/.test(input)) return true;
  return paths.sep === '\\' && input.includes('\\');
}
