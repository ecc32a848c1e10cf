import { isIndex, isOciError, type Descriptor, type Manifest, type RepositoryApi, at, formatReference, formatRepository } from '../../oci';
import { attachedCategory, listAttached, type AttachedCategory, type AttachedVia } from '../attached';
import { DEFAULT_GRAPH_LIMITS, GraphBudget, type GraphLimits } from './budget';
import { limiter } from './limiter';

/** One manifest (or index) to copy, with its exact bytes: they are pushed unchanged, so the digest is too. */
export interface CopyNode {
  descriptor: Descriptor;
  bytes: Buffer;
  manifest: Manifest;
  /** The blobs an image manifest names (config, then layers); none for an index. */
  blobs: Descriptor[];
  /** The manifests an index names (platforms, nested indexes), in its order. */
  children: CopyNode[];
  /** What refers to this manifest; empty when referrers were not asked for. */
  attached: AttachedNode[];
}

export interface AttachedNode {
  via: AttachedVia;
  /** cosign's `sha256-<hex>.sig|.att|.sbom`, for `via: 'cosign-tag'`. */
  tag?: string;
  category: AttachedCategory;
  /** The digest this refers to. */
  subject: string;
  node: CopyNode;
}

/** What a copy will carry, known before anything is written: what an editor previews. */
export interface CopyPlan {
  from: RepositoryApi;
  /** The reference as given (tag or digest) and the digest it resolved to. */
  reference: string;
  root: CopyNode;
  summary: CopySummary;
  /** Things the source lists but cannot serve (a referrer whose manifest is gone): not copied. */
  warnings: string[];
}

export interface CopySummary {
  /** Manifests and indexes of the artifact itself (root and platforms). */
  manifests: number;
  /** Distinct blobs of the artifact itself, and their bytes. */
  blobs: number;
  bytes: number;
  /** Referrers and cosign tags, at every depth, by category. */
  referrers: Record<AttachedCategory, number>;
  /** Distinct blobs and bytes of everything attached that the artifact itself does not have. */
  referrerBlobs: number;
  referrerBytes: number;
  /** Every distinct blob and manifest the copy may write. */
  totalBlobs: number;
  totalBytes: number;
  totalManifests: number;
}

export interface PlanOptions {
  /** Also copy what refers to the artifact (and to its platforms), at every depth. */
  referrers?: boolean;
  signal?: AbortSignal;
  /** How many source requests run at once (default 4). */
  concurrency?: number;
  /** Bounds on what is read (default DEFAULT_GRAPH_LIMITS); tests lower them. */
  limits?: Partial<GraphLimits>;
  /** The source's tags, when the caller has just listed them: cosign and fallback tags not among them are not asked for. */
  knownTags?: ReadonlySet<string>;
  /** Called once the root manifest is read, before what refers to it: the caller may ask the destination about it meanwhile. */
  onRoot?: (root: Descriptor) => void;
}

/**
 * Reads the source graph: the manifest (or index, every platform and nested index), and with
 * `referrers` everything that refers to any manifest in it, recursively. Only manifests are
 * read; blobs are streamed later, by the copy. Each manifest is read once and walked once, so a
 * referrers listing that loops (A lists B, B lists A; A lists itself) ends; and every limit of
 * the budget (manifests, depth, bytes, time) is checked before the read that would pass it.
 */
export async function planCopy(from: RepositoryApi, reference: string, options: PlanOptions = {}): Promise<CopyPlan> {
  const limit = limiter(options.concurrency ?? 4);
  const what = `${formatReference(at(from, reference))}${options.referrers ? ' with what refers to it' : ''}`;
  const budget = new GraphBudget(what, { ...DEFAULT_GRAPH_LIMITS, ...options.limits }, options.signal);
  const signal = budget.signal;
  const warnings: string[] = [];
  const seen = new Map<string, Promise<CopyNode>>();

  const read = (ref: string, depth: number): Promise<CopyNode> => {
    const known = seen.get(ref);
    if (known) return known;
    budget.ensureRoom(1, `${ref} is one manifest more`);
    budget.manifests++;
    const promise = (async () => {
      const fetched = await limit(() => from.fetchManifest(ref, { signal }));
      budget.takeBytes(fetched.bytes.length);
      const manifest = fetched.manifest;
      const node: CopyNode = {
        descriptor: { mediaType: fetched.descriptor.mediaType, digest: fetched.descriptor.digest, size: fetched.descriptor.size },
        bytes: fetched.bytes,
        manifest,
        blobs: isIndex(manifest) ? [] : [manifest.config, ...(manifest.layers ?? [])],
        children: [],
        attached: [],
      };
      if (fetched.descriptor.artifactType) node.descriptor.artifactType = fetched.descriptor.artifactType;
      if (isIndex(manifest)) {
        if (depth > budget.limits.depth)
          throw budget.tooLarge(`its indexes nest deeper than ${budget.limits.depth} levels (at ${node.descriptor.digest})`);
        const fresh = new Set(manifest.manifests.map((child) => child.digest).filter((digest) => !seen.has(digest)));
        budget.ensureRoom(fresh.size, `the index ${node.descriptor.digest} names ${fresh.size} manifests more`);
        node.children = await Promise.all(manifest.manifests.map((child) => read(child.digest, depth + 1)));
      }
      return node;
    })();
    seen.set(ref, promise);
    // A tag and the digest it names are one node.
    promise.then(
      (node) => seen.set(node.descriptor.digest, promise),
      () => undefined,
    );
    return promise;
  };

  const walked = new Set<string>();
  let tooDeep = false;
  const attach = async (node: CopyNode, depth: number): Promise<void> => {
    if (walked.has(node.descriptor.digest)) return;
    walked.add(node.descriptor.digest);
    if (depth > budget.limits.depth) {
      tooDeep = true;
      return;
    }
    const found = await limit(() => listAttached(from, node.descriptor.digest, signal, budget.remaining, options.knownTags)).catch(
      (error: unknown) => {
        if (!isOciError(error, 'TOO_LARGE')) throw error;
        throw budget.tooLarge(`${error.message} (a copy carries at most ${budget.limits.manifests} manifests)`);
      },
    );
    const fresh = new Set(found.map((a) => a.descriptor.digest).filter((digest) => !seen.has(digest)));
    budget.ensureRoom(fresh.size, `${node.descriptor.digest} lists ${fresh.size} referrers more`);
    const attached = await Promise.all(
      found.map(async (a): Promise<AttachedNode | undefined> => {
        let child: CopyNode;
        try {
          child = await read(a.descriptor.digest, 0);
        } catch (error) {
          if (!isOciError(error, 'MANIFEST_UNKNOWN')) throw error;
          warnings.push(
            `${a.tag ?? `referrer ${a.descriptor.digest}`} of ${node.descriptor.digest} is listed but ${formatRepository(from)} no longer has it; skipped`,
          );
          return undefined;
        }
        // A referrer names its subject; a listing that says otherwise (a rewritten fallback tag) is not followed.
        if (a.via !== 'cosign-tag' && child.manifest.subject?.digest !== node.descriptor.digest) {
          warnings.push(
            `${formatRepository(from)} lists ${child.descriptor.digest} as a referrer of ${node.descriptor.digest}, but its subject is ${child.manifest.subject?.digest ?? 'missing'}; skipped`,
          );
          return undefined;
        }
        return { via: a.via, tag: a.tag, category: attachedCategory(child.manifest, a.tag), subject: node.descriptor.digest, node: child };
      }),
    );
    node.attached = attached.filter((a): a is AttachedNode => a !== undefined);
    await Promise.all([...node.children, ...node.attached.map((a) => a.node)].map((next) => attach(next, depth + 1)));
  };

  try {
    const root = await read(reference, 0);
    options.onRoot?.(root.descriptor);
    if (options.referrers) await attach(root, 0);
    if (tooDeep) warnings.push(`referrers more than ${budget.limits.depth} levels below ${root.descriptor.digest} were not looked for`);
    return { from, reference, root, summary: summarise(root), warnings };
  } catch (error) {
    // Requests still queued are never sent.
    budget.end(error);
    throw error;
  } finally {
    budget.end();
  }
}

/**
 * The same copy without what refers to the artifact: its manifests and blobs only, so a user who
 * previewed the whole graph can leave signatures, SBOMs and attestations behind without the
 * source being read again.
 */
export function withoutReferrers(plan: CopyPlan): CopyPlan {
  const strip = (node: CopyNode): CopyNode => ({ ...node, children: node.children.map(strip), attached: [] });
  const root = strip(plan.root);
  return { ...plan, root, summary: summarise(root), warnings: [] };
}

function summarise(root: CopyNode): CopySummary {
  const own = { manifests: new Set<string>(), blobs: new Map<string, number>() };
  const all = { manifests: new Set<string>(), blobs: new Map<string, number>() };
  const referrers: Record<AttachedCategory, number> = { signature: 0, sbom: 0, attestation: 0, other: 0 };
  const countedReferrers = new Set<string>();
  // A node is walked once per pass: the graph may share nodes, and cosign tags may loop back.
  let visited = new Set<CopyNode>();
  const walk = (node: CopyNode, into: (typeof own)[], attachedToo: boolean) => {
    if (visited.has(node)) return;
    visited.add(node);
    for (const set of into) {
      set.manifests.add(node.descriptor.digest);
      for (const blob of node.blobs) set.blobs.set(blob.digest, blob.size);
    }
    for (const child of node.children) walk(child, into, attachedToo);
    if (!attachedToo) return;
    for (const a of node.attached) {
      const key = `${a.subject} ${a.tag ?? a.node.descriptor.digest}`;
      if (!countedReferrers.has(key)) {
        countedReferrers.add(key);
        referrers[a.category]++;
      }
      walk(a.node, [all], true);
    }
  };
  walk(root, [own, all], false);
  visited = new Set();
  walk(root, [all], true);
  const bytes = (blobs: Map<string, number>) => [...blobs.values()].reduce((n, size) => n + size, 0);
  return {
    manifests: own.manifests.size,
    blobs: own.blobs.size,
    bytes: bytes(own.blobs),
    referrers,
    referrerBlobs: all.blobs.size - own.blobs.size,
    referrerBytes: bytes(all.blobs) - bytes(own.blobs),
    totalBlobs: all.blobs.size,
    totalBytes: bytes(all.blobs),
    totalManifests: all.manifests.size,
  };
}
