import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';

/**
 * A path an agent gave, resolved inside one of the server's roots: relative paths are read from the
 * first root, and a path that leaves every root (by `..`, an absolute path or a symlink) is refused,
 * so an agent cannot read or push what the user did not open.
 */
export function pathWithinRoots(given: string, roots: string[]): string {
  if (roots.length === 0)
    throw new Error('this server has no folders to read from: start it with --root <folder> (the CLI) or open a folder (VS Code)');
  const candidate = isAbsolute(given) ? resolve(given) : resolve(roots[0], given);
  const real = realOrSelf(candidate);
  for (const root of roots) {
    const rootReal = realOrSelf(resolve(root));
    const rel = relative(rootReal, real);
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) return candidate;
  }
  throw new Error(`${given} is outside the folders this server may read (${roots.join(', ')})`);
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
