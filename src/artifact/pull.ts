import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { isIndex, OciError, referenceTarget, type OciClient, type Reference } from '../oci';
import { readArtifactContents, type ArtifactContents, type ContentLimits } from './contents';

export interface PullResult {
  digest: string;
  files: number;
  skipped: ArtifactContents['skipped'];
}

/**
 * Unpacks an artifact into a folder that is empty or does not exist yet, so nothing is
 * overwritten. Every path is checked to stay inside the folder before anything is written.
 */
export async function pullToFolder(client: OciClient, ref: Reference, folder: string, options: { limits?: ContentLimits; signal?: AbortSignal } = {}): Promise<PullResult> {
  const existing = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  if (existing.length > 0) throw new OciError('PROTOCOL', `${folder} is not empty; pull into a new or empty folder so nothing is overwritten`);
  const repo = client.repository(ref);
  const { manifest, descriptor } = await repo.fetchManifest(referenceTarget(ref), { signal: options.signal });
  if (isIndex(manifest)) throw new OciError('UNSUPPORTED', `${ref.registry}/${ref.repository} ${referenceTarget(ref)} is an index; pull one of its manifests by digest`);
  const contents = await readArtifactContents(repo, manifest, options.limits, options.signal);
  const root = resolve(folder);
  const targets = [...contents.files.keys()].map((path) => {
    const target = resolve(root, path);
    if (!target.startsWith(root + sep)) throw new OciError('PROTOCOL', `Refusing "${path}": it would be written outside ${folder}`);
    return { path, target };
  });
  await mkdir(root, { recursive: true });
  for (const { path, target } of targets) {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, contents.files.get(path)!, { mode: 0o644, flag: 'wx' });
  }
  return { digest: descriptor.digest, files: targets.length, skipped: contents.skipped };
}
