import { ArtifactError } from './errors';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument, isMap } from 'yaml';
import { isArtifactFormat, type ArtifactFormat } from './formats';

/** The workspace file that remembers where each folder is pushed, meant to be committed. */
export const PUSH_TARGETS_FILE = '.oci-gitops.yaml';

export interface PushTarget {
  /** `registry/repository:tag` */
  reference: string;
  tags?: string[];
  format?: ArtifactFormat;
}

/** Reads the push targets of a workspace: folder (relative, "/"-separated, "." for the root) → target. */
export async function readPushTargets(workspaceRoot: string): Promise<Record<string, PushTarget>> {
  const path = join(workspaceRoot, PUSH_TARGETS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new ArtifactError('CONFIG_INVALID', `${path} is not valid YAML: ${doc.errors[0].message}`, {
      hint: 'Fix or delete the file; it only remembers push targets',
    });
  }
  const value = doc.toJS() as { push?: Record<string, PushTarget> } | null;
  const out: Record<string, PushTarget> = {};
  for (const [folder, target] of Object.entries(value?.push ?? {})) {
    if (!target || typeof target.reference !== 'string') continue;
    out[normaliseFolderKey(folder)] = {
      reference: target.reference,
      ...(Array.isArray(target.tags) ? { tags: target.tags.map(String) } : {}),
      ...(typeof target.format === 'string' && isArtifactFormat(target.format) ? { format: target.format } : {}),
    };
  }
  return out;
}

/**
 * A key as written by hand on any desktop, in the form folderKey gives: `deploy\prod`, `./deploy/prod/`
 * and `deploy/prod` are one folder (a name with a backslash cannot be pushed, so `\` is only ever a separator).
 */
export function normaliseFolderKey(key: string): string {
  const parts = key.split(/[\\/]+/).filter((part) => part !== '' && part !== '.');
  return parts.length === 0 ? '.' : parts.join('/');
}

/** Records a folder's target, keeping the rest of the file (and its comments) as it was. */
export async function writePushTarget(workspaceRoot: string, folder: string, target: PushTarget): Promise<void> {
  const path = join(workspaceRoot, PUSH_TARGETS_FILE);
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const doc = parseDocument(text || '# Where OCI GitOps pushes each folder (commit this file so the next push is one click).\npush: {}\n');
  if (!isMap(doc.get('push'))) doc.set('push', doc.createNode({}));
  const entry: Record<string, unknown> = { reference: target.reference };
  if (target.tags?.length) entry.tags = target.tags;
  if (target.format && target.format !== 'default') entry.format = target.format;
  doc.setIn(['push', folder], doc.createNode(entry));
  await writeFile(path, doc.toString());
}
