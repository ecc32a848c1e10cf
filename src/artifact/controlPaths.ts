/**
 * Folders and files through which a version-control tool runs code or takes settings when it is
 * run in a folder: git's `.git` (core.fsmonitor, hooks, filters), Mercurial's `.hg/hgrc` hooks,
 * Subversion's `.svn`, Bazaar's `.bzr`, Darcs' `_darcs`, CVS, Jujutsu's `.jj`, Pijul's `.pijul`
 * and Fossil's checkout database. An artifact never needs them, and a pulled folder is often
 * pushed, diffed or committed later with those tools, so they are never written from an artifact.
 *
 * Names are compared as case-insensitive filesystems (macOS, Windows) and Windows would see them:
 * `.GIT` is `.git` there, Windows drops trailing dots and spaces, and `GIT~1` is the 8.3 short
 * name of `.git` (git itself refuses these under core.protectNTFS).
 */
const CONTROL_NAMES = new Set([
  '.git',
  'git~1',
  '.hg',
  'hg~1',
  '.svn',
  'svn~1',
  '.bzr',
  'bzr~1',
  '_darcs',
  'cvs',
  '.jj',
  '.pijul',
  '.fslckout',
  '_fossil_',
]);

/** The first component of `path` that is a version-control control path, or undefined. */
export function controlComponent(path: string): string | undefined {
  return path.split('/').find((part) => CONTROL_NAMES.has(part.replace(/[. ]+$/, '').toLowerCase() || part));
}
