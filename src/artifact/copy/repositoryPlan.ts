import { isOciError, OciError, formatRepository, type Descriptor, type RepositoryApi } from '../../oci';
import { errorMessage } from '../../text/format';
import { currentDigest } from '../tagMoves';
import { DEFAULT_GRAPH_LIMITS, type GraphLimits } from './budget';
import { limiter } from './limiter';
import { planCopy, type CopyNode, type CopyPlan } from './plan';

/** One source tag of a repository copy: the graph it names, and where the destination's tag of that name points now. */
export interface PlannedTag {
  tag: string;
  plan: CopyPlan;
  /** The digest the destination's tag points at now; undefined when it has no such tag. */
  current?: string;
  /** When `current` was read (Date.now()). */
  readAt: number;
  /** Whether the destination has the artifact's manifest (by its digest, tagged or not); undefined when that could not be asked. */
  present?: boolean;
}

/** A source tag that could not be read (gone since the listing, too large, refused): it is reported, never copied. */
export interface UnreadableTag {
  tag: string;
  message: string;
}

/** What a repository copy will do, known before anything is written: what a confirmation shows. */
export interface RepositoryCopyPlan {
  from: RepositoryApi;
  to: RepositoryApi;
  referrers: boolean;
  tags: PlannedTag[];
  unreadable: UnreadableTag[];
  /** Tags the destination has at the same digest, tags it lacks, and tags that point elsewhere there (drift). */
  counts: { there: number; missing: number; drifted: number };
  /** Distinct manifests and blobs over every tag (shared ones counted once), and the blobs' bytes. */
  manifests: number;
  blobs: number;
  bytes: number;
  warnings: string[];
}

export interface RepositoryPlanOptions {
  /** Also copy what refers to each tag's artifact, at every depth. */
  referrers?: boolean;
  /** Tags read at once (each with up to 4 requests of its own); default 8. */
  concurrency?: number;
  signal?: AbortSignal;
  /** Bounds of each tag's graph, and of the manifest bytes held for all tags together; tests lower them. */
  limits?: Partial<GraphLimits>;
  /**
   * Every tag of the source, as just listed: cosign and fallback referrers tags not among them are
   * taken as absent rather than asked for, three to four requests fewer per manifest. A signature
   * pushed after the listing is then found by the next run.
   */
  listedTags?: readonly string[];
}

/**
 * The tags of a listing that name artifacts of their own: cosign's `sha256-<hex>.sig|.att|.sbom`
 * and the `sha256-<hex>` referrers fallback tags are attached to another artifact, and travel with
 * it (with referrers) rather than as releases.
 */
export function releaseTags(tags: readonly string[]): string[] {
  return tags.filter((tag) => !/^sha(256|512)-[a-f0-9]+(\.[a-z]+)?$/.test(tag));
}

/**
 * Reads the source graph of every tag (with `referrers`, everything attached to it) and where
 * each tag points at the destination, several tags at once. A tag that cannot be read is set
 * aside with its reason; a cancellation or a deadline stops the whole plan. The manifest bytes
 * of all tags together are bounded as one graph's are, so a huge repository is refused before
 * it fills memory.
 */
export async function planRepositoryCopy(
  from: RepositoryApi,
  to: RepositoryApi,
  tags: readonly string[],
  options: RepositoryPlanOptions = {},
): Promise<RepositoryCopyPlan> {
  const limits = { ...DEFAULT_GRAPH_LIMITS, ...options.limits };
  const perTag = limiter(Math.max(1, options.concurrency ?? 8));
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  let heldBytes = 0;
  const planned: PlannedTag[] = [];
  const unreadable: UnreadableTag[] = [];
  const knownTags = options.listedTags ? new Set(options.listedTags) : undefined;
  // Tags of one digest ask once.
  const asked = new Map<string, Promise<boolean>>();
  const manifestThere = (digest: string): Promise<boolean> => {
    let there = asked.get(digest);
    if (!there) asked.set(digest, (there = hasManifest(to, digest, signal)));
    return there;
  };
  const planOne = async (tag: string): Promise<void> => {
    let readAt = Date.now();
    const currently = currentDigest(to, tag, signal).then((current) => {
      readAt = Date.now();
      return current;
    });
    // Asked while the source's referrers are read, so the copy starts with its answer.
    let present: Promise<boolean | undefined> = Promise.resolve(undefined);
    const onRoot = (root: Descriptor): void => {
      present = currently.then((current) => current === root.digest || manifestThere(root.digest)).catch(() => undefined);
    };
    const [plan, current] = await Promise.all([
      planCopy(from, tag, { referrers: options.referrers, signal, limits, knownTags, onRoot }).catch((error: unknown) => {
        if (signal.aborted || !isOciError(error) || isOciError(error, 'CANCELLED') || isOciError(error, 'TIMEOUT')) throw error;
        unreadable.push({ tag, message: errorMessage(error) });
        return undefined;
      }),
      currently,
    ]);
    if (!plan) return;
    heldBytes += manifestBytes(plan.root);
    if (heldBytes > limits.bytes)
      throw new OciError(
        'TOO_LARGE',
        `The tags of ${formatRepository(from)} are too large to copy together: their manifests take more than ${limits.bytes} bytes; nothing was copied`,
        { hint: 'Copy fewer tags at once (--semver or --tag-regex), or without --referrers' },
      );
    planned.push({ tag, plan, current, readAt, present: await present });
  };
  try {
    await Promise.all(tags.map((tag) => perTag(() => planOne(tag))));
  } catch (error) {
    // Tags still queued are never read.
    stop.abort(error);
    throw error;
  }
  const order = new Map(tags.map((tag, i) => [tag, i]));
  planned.sort((a, b) => order.get(a.tag)! - order.get(b.tag)!);
  return summarise(from, to, !!options.referrers, planned, unreadable);
}

/** Whether `repo` has the manifest `digest`; an answer other than yes or no is an error. */
async function hasManifest(repo: RepositoryApi, digest: string, signal: AbortSignal): Promise<boolean> {
  try {
    await repo.resolve(digest, { signal });
    return true;
  } catch (error) {
    if (isOciError(error, 'MANIFEST_UNKNOWN') || isOciError(error, 'NAME_UNKNOWN')) return false;
    throw error;
  }
}

function* nodesOf(node: CopyNode, seen: Set<CopyNode>): Generator<CopyNode> {
  if (seen.has(node)) return;
  seen.add(node);
  yield node;
  for (const child of node.children) yield* nodesOf(child, seen);
  for (const a of node.attached) yield* nodesOf(a.node, seen);
}

function manifestBytes(root: CopyNode): number {
  let bytes = 0;
  for (const node of nodesOf(root, new Set())) bytes += node.bytes.length;
  return bytes;
}

function summarise(
  from: RepositoryApi,
  to: RepositoryApi,
  referrers: boolean,
  tags: PlannedTag[],
  unreadable: UnreadableTag[],
): RepositoryCopyPlan {
  const manifests = new Set<string>();
  const blobs = new Map<string, number>();
  const seen = new Set<CopyNode>();
  const counts = { there: 0, missing: 0, drifted: 0 };
  const warnings = new Set<string>();
  for (const { plan, current } of tags) {
    for (const node of nodesOf(plan.root, seen)) {
      manifests.add(node.descriptor.digest);
      for (const blob of node.blobs) blobs.set(blob.digest, blob.size);
    }
    if (current === undefined) counts.missing++;
    else if (current === plan.root.descriptor.digest) counts.there++;
    else counts.drifted++;
    for (const warning of plan.warnings) warnings.add(warning);
  }
  let bytes = 0;
  for (const size of blobs.values()) bytes += size;
  return { from, to, referrers, tags, unreadable, counts, manifests: manifests.size, blobs: blobs.size, bytes, warnings: [...warnings] };
}
