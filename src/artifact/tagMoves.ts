import { formatReference, isOciError, OciError, type Reference, type RepositoryApi } from '../oci';

/** A tag that already points at another digest, and would be moved to `to`. */
export interface TagMove {
  tag: string;
  from: string;
  to: string;
}

/** The digest `tag` points at in `repo`, or undefined when there is no such tag (or repository). */
export async function currentDigest(repo: Pick<RepositoryApi, 'resolve'>, tag: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    return (await repo.resolve(tag, { signal })).digest;
  } catch (error) {
    if (isOciError(error, 'MANIFEST_UNKNOWN') || isOciError(error, 'NAME_UNKNOWN')) return undefined;
    throw error;
  }
}

/** The tags of `repo` that exist and point somewhere other than `digest`. */
export async function tagMoves(
  repo: Pick<RepositoryApi, 'resolve'>,
  tags: string[],
  digest: string,
  signal?: AbortSignal,
): Promise<TagMove[]> {
  const moves: TagMove[] = [];
  for (const tag of tags) {
    try {
      const existing = await repo.resolve(tag, { signal });
      if (existing.digest !== digest) moves.push({ tag, from: existing.digest, to: digest });
    } catch (error) {
      if (isOciError(error, 'MANIFEST_UNKNOWN') || isOciError(error, 'NAME_UNKNOWN')) continue;
      throw error;
    }
  }
  return moves;
}

/**
 * Tags are treated as immutable: moving one needs `force` or the user's confirmation. Resolves
 * when there is nothing to move or the move is allowed; otherwise throws TAG_EXISTS, saying
 * `nothingDone` ("nothing was pushed"): callers ask before they change anything.
 */
export async function allowTagMoves(
  target: Reference,
  moves: TagMove[],
  options: { force?: boolean; confirmMove?: (moves: TagMove[]) => Promise<boolean> },
  words: { verb: 'push' | 'copy'; nothingDone: string },
): Promise<void> {
  if (moves.length === 0 || options.force || (await options.confirmMove?.(moves))) return;
  const list = moves.map((m) => `${m.tag} (${m.from} → ${m.to})`).join(', ');
  throw new OciError(
    'TAG_EXISTS',
    `${formatReference({ ...target, tag: undefined, digest: undefined })}: tag${moves.length > 1 ? 's' : ''} ${list} already point${moves.length > 1 ? '' : 's'} at another artifact; ${words.nothingDone}`,
    {
      registry: target.registry,
      repository: target.repository,
      hint: `Tags are treated as immutable: ${words.verb} under a new tag, or confirm moving it (--force in the CLI)`,
    },
  );
}
