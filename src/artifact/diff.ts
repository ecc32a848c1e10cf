import { createTwoFilesPatch } from 'diff';

export interface ContentDiff {
  added: string[];
  removed: string[];
  changed: string[];
  unchanged: number;
}

/** Compares two file sets by content (not by tarball bytes, as `flux diff artifact` does). */
export function diffContents(before: Map<string, Buffer>, after: Map<string, Buffer>): ContentDiff {
  const added = [...after.keys()].filter((p) => !before.has(p)).sort();
  const removed = [...before.keys()].filter((p) => !after.has(p)).sort();
  const common = [...after.keys()].filter((p) => before.has(p)).sort();
  const changed = common.filter((p) => !before.get(p)!.equals(after.get(p)!));
  return { added, removed, changed, unchanged: common.length - changed.length };
}

/** A unified diff of one file; binary files are named, not dumped. */
export function unifiedDiff(
  path: string,
  before: Buffer | undefined,
  after: Buffer | undefined,
  labels: { before: string; after: string },
): string {
  if ((before && isBinary(before)) || (after && isBinary(after))) {
    return `Binary file ${path} differs (${before?.length ?? 0} → ${after?.length ?? 0} bytes)\n`;
  }
  return createTwoFilesPatch(
    before ? `a/${path}` : '/dev/null',
    after ? `b/${path}` : '/dev/null',
    before?.toString('utf8') ?? '',
    after?.toString('utf8') ?? '',
    labels.before,
    labels.after,
  );
}

function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}
