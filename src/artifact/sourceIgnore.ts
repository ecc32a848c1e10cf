import ignore, { type Ignore } from 'ignore';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What Flux always leaves out of a source (fluxcd/pkg sourceignore VCS defaults), plus our own config file. */
export const DEFAULT_IGNORES = ['.git/', '.gitignore', '.gitmodules', '.gitattributes', '.oci-gitops.yaml'];

export const SOURCEIGNORE = '.sourceignore';

/**
 * gitignore-syntax rules as Flux reads them: the defaults, extra patterns, and every
 * `.sourceignore` file, each applying to the folder it sits in.
 */
export class IgnoreRules {
  private readonly scoped: { base: string; rules: Ignore }[] = [];

  constructor(extraPatterns: string[] = []) {
    this.scoped.push({ base: '', rules: ignore().add(DEFAULT_IGNORES).add(extraPatterns) });
  }

  /** Reads `<root>/<dir>/.sourceignore` if there is one. */
  async loadFrom(root: string, dir: string): Promise<void> {
    let text: string;
    try {
      text = await readFile(join(root, dir, SOURCEIGNORE), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    this.scoped.push({ base: dir, rules: ignore().add(text) });
  }

  /** `path` is relative to the root with "/" separators; directories end with "/". */
  ignores(path: string): boolean {
    for (const { base, rules } of this.scoped) {
      if (base === '') {
        if (rules.ignores(path)) return true;
      } else if (path.startsWith(`${base}/`) && path.length > base.length + 1 && rules.ignores(path.slice(base.length + 1))) {
        return true;
      }
    }
    return false;
  }
}
