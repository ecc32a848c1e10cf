import {
  bufferSource,
  isOciError,
  MediaType,
  OciError,
  validateTag,
  type Descriptor,
  type FetchedManifest,
  type RepositoryApi,
  referrersTagFor,
  formatReference,
  pinned,
  formatRepository,
  tagged,
} from '../../oci';
import { signatureConfig, signatureManifest } from '../../signing/cosignSignatureTag';
import { cosignTagSuffix } from '../attached';
import { allowTagMoves, currentDigest, type TagMove } from '../tagMoves';
import { decideCosignTag } from './cosignTags';
import { limiter } from './limiter';
import type { AttachedNode, CopyNode, CopyPlan } from './plan';
import { streamingSource } from './streamingSource';
import { errorMessage } from '../../text/format';

export interface CopyOptions {
  /** Tags to point at the copy at the destination, set last, once everything else is there. */
  tags?: string[];
  /** Move destination tags (and replace a different cosign `.sbom`) without asking. */
  force?: boolean;
  /** Asked when tags would move and `force` is off; false stops the copy before anything is written. */
  confirmMove?: (moves: TagMove[]) => Promise<boolean>;
  signal?: AbortSignal;
  onProgress?: (progress: CopyProgress) => void;
  /** Blob transfers (and, separately, manifest requests) at once; default 4. */
  concurrency?: number;
  /** The whole copy's deadline; by default 10 minutes, plus a second per 64 KiB and 200 ms per manifest of the plan. */
  deadlineMs?: number;
  /** Shared by copies of many artifacts to one destination (copyLedger), so what they have in common is copied once. */
  ledger?: CopyLedger;
  /**
   * Where the destination's tags among `tags` point now (undefined: no such tag), as the caller
   * has just read them: a repository plan reads each once, and the copy does not ask again.
   * Tags left out are asked for.
   */
  currentTags?: ReadonlyMap<string, string | undefined>;
}

/**
 * What several copies to one destination know together: the blobs sent or found there, the
 * manifests found there, the referrers its discovery lists, and one pair of limits for all of
 * them. Copies of a repository's tags share one, so a blob 40 tags have in common is sent (or
 * mounted) once, counted once, and the concurrency bounds the whole mirror, not each tag.
 */
export interface CopyLedger {
  readonly blobs: Map<string, Promise<void>>;
  readonly present: Map<string, Promise<boolean>>;
  readonly listed: Map<string, Promise<Set<string>>>;
  /**
   * Manifests this copy pushed that the destination lacked when asked: their referrers there are
   * taken as none, not looked up. Wrong only for a fallback tag left without its subject, and then
   * harmless: a referrer is pushed again (the same bytes) and merged into the index, not replacing it.
   */
  readonly created: Set<string>;
  readonly done: Set<string>;
  readonly blobLimit: <T>(task: () => Promise<T>) => Promise<T>;
  readonly requestLimit: <T>(task: () => Promise<T>) => Promise<T>;
}

export function copyLedger(concurrency = 4): CopyLedger {
  const bound = Math.max(1, concurrency);
  return {
    blobs: new Map(),
    present: new Map(),
    listed: new Map(),
    created: new Set(),
    done: new Set(),
    blobLimit: limiter(bound),
    requestLimit: limiter(bound),
  };
}

export interface CopyProgress {
  phase: 'checking' | 'artifact' | 'referrers' | 'tagging' | 'done';
  /** Blob bytes transferred or found at the destination, of `bytesTotal`. */
  bytesDone: number;
  bytesTotal: number;
  /** Blobs and manifests done (copied or already there), of `itemsTotal`. */
  itemsDone: number;
  itemsTotal: number;
}

export type CosignTagAction = 'copied' | 'merged' | 'replaced' | 'unchanged';
export type TagAction = 'created' | 'moved' | 'unchanged';

export interface CopyResult {
  digest: string;
  /** `registry/repository@sha256:…` at the destination. */
  pinned: string;
  tags: { tag: string; action: TagAction; from?: string }[];
  blobs: { copied: number; mounted: number; skipped: number; bytesCopied: number };
  /** The artifact's own manifests: the root, and every platform and nested index. */
  manifests: { copied: number; skipped: number };
  /** Referrer manifests (and the manifests of referrer indexes) pushed, or already found by the destination's own discovery. */
  referrers: { copied: number; skipped: number };
  cosignTags: { tag: string; action: CosignTagAction; layers: number }[];
  /** What could not be copied; when any, no tag was set. */
  failures: { what: string; message: string }[];
  /** True when the destination already had everything: the copy wrote nothing. */
  nothingCopied: boolean;
}

type Role = 'artifact' | 'referrer';

/**
 * Copies what `plan` found to `to`, leaves first: blobs, then child manifests, then the root (by
 * digest), then what refers to it, and the tags last, only when all of it is there; so a copy
 * that fails half-way leaves no tag pointing at something incomplete, and running it again
 * finishes it, skipping what is there. Manifest bytes are pushed as read, so every digest (and
 * every signature over it) is unchanged. A manifest the destination has is taken as complete
 * (registries refuse a manifest whose blobs or children are missing), so a repeated copy costs a
 * HEAD per manifest and a referrers lookup per subject.
 */
export async function executeCopy(plan: CopyPlan, to: RepositoryApi, options: CopyOptions = {}): Promise<CopyResult> {
  const tags = [...new Set(options.tags ?? [])];
  tags.forEach(validateTag);
  const s = plan.summary;
  const deadlineMs = options.deadlineMs ?? 10 * 60_000 + Math.ceil(s.totalBytes / 64) + 200 * s.totalManifests;
  const deadline = new AbortController();
  const timer = setTimeout(
    () =>
      deadline.abort(
        new OciError(
          'TIMEOUT',
          `The copy to ${formatRepository(to)} did not finish within ${Number((deadlineMs / 1000).toFixed(1))} s; stopped, and no tag was set`,
          { registry: to.registry, repository: to.repository, hint: 'Run the copy again: what was copied is skipped' },
        ),
      ),
    deadlineMs,
  );
  const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
  try {
    return await new CopyRun(plan, to, { ...options, signal }).execute(tags);
  } finally {
    clearTimeout(timer);
  }
}

/** The tag moves a copy would make: the tags asked for, and cosign `.sbom` tags that differ. For a confirmation. */
export async function destinationMoves(plan: CopyPlan, to: RepositoryApi, tags: string[], signal?: AbortSignal): Promise<TagMove[]> {
  return (await destinationTags(plan, tags, (tag) => currentDigest(to, tag, signal))).moves;
}

/** Where the tags a copy sets (`tags`, and cosign `.sbom` tags) point at the destination now, each read once, all at once. */
async function destinationTags(
  plan: CopyPlan,
  tags: string[],
  read: (tag: string) => Promise<string | undefined>,
): Promise<{ current: Map<string, string | undefined>; moves: TagMove[] }> {
  const wanted = new Map(tags.map((tag) => [tag, plan.root.descriptor.digest]));
  for (const a of allAttached(plan.root))
    if (a.via === 'cosign-tag' && a.tag && cosignTagSuffix(a.tag) === '.sbom') wanted.set(a.tag, a.node.descriptor.digest);
  const current = new Map(await Promise.all([...wanted.keys()].map(async (tag) => [tag, await read(tag)] as const)));
  const moves: TagMove[] = [];
  for (const [tag, to] of wanted) {
    const from = current.get(tag);
    if (from !== undefined && from !== to) moves.push({ tag, from, to });
  }
  return { current, moves };
}

class CopyRun {
  private readonly blobLimit: <T>(task: () => Promise<T>) => Promise<T>;
  private readonly requestLimit: <T>(task: () => Promise<T>) => Promise<T>;
  private readonly blobs: Map<string, Promise<void>>;
  private readonly present: Map<string, Promise<boolean>>;
  private readonly listed: Map<string, Promise<Set<string>>>;
  private readonly created: Set<string>;
  private readonly done: Set<string>;
  private readonly sent = new Map<string, number>();
  /** Manifests whose referrers were walked: a cosign tag may loop back to one. */
  private readonly walked = new Set<CopyNode>();
  /** Fallback-index entries of pushed referrers, by subject, written once per subject (see recordPending). */
  private readonly pending = new Map<string, Descriptor[]>();
  /** The destination's cosign tags, each read once: a `.sbom` is read for the confirmation and again for the copy. */
  private readonly cosignTags = new Map<string, Promise<FetchedManifest | undefined>>();
  private readonly mountFrom?: string;
  private phase: CopyProgress['phase'] = 'checking';
  private readonly result: CopyResult;
  private readonly signal?: AbortSignal;

  constructor(
    private readonly plan: CopyPlan,
    private readonly to: RepositoryApi,
    private readonly options: CopyOptions,
  ) {
    const ledger = options.ledger ?? copyLedger(options.concurrency);
    ({ blobs: this.blobs, present: this.present, listed: this.listed, created: this.created, done: this.done } = ledger);
    this.blobLimit = ledger.blobLimit;
    this.requestLimit = ledger.requestLimit;
    this.signal = options.signal;
    // One registry: the destination can take a blob over from the source repository without a transfer.
    if (plan.from.registry === to.registry && plan.from.repository !== to.repository) this.mountFrom = plan.from.repository;
    const digest = plan.root.descriptor.digest;
    this.result = {
      digest,
      pinned: formatReference(pinned(to, digest)),
      tags: [],
      blobs: { copied: 0, mounted: 0, skipped: 0, bytesCopied: 0 },
      manifests: { copied: 0, skipped: 0 },
      referrers: { copied: 0, skipped: 0 },
      cosignTags: [],
      failures: [],
      nothingCopied: false,
    };
  }

  async execute(tags: string[]): Promise<CopyResult> {
    this.report();
    const root = this.plan.root;
    const { current, moves } = await destinationTags(this.plan, tags, (tag) => this.currentOf(tag));
    // A tag that points at the artifact: the destination has it, and (registries refuse a manifest whose blobs are missing) all under it.
    if ([...current.values()].includes(root.descriptor.digest) && !this.present.has(root.descriptor.digest))
      this.present.set(root.descriptor.digest, Promise.resolve(true));
    await allowTagMoves({ registry: this.to.registry, repository: this.to.repository }, moves, this.options, {
      verb: 'copy',
      nothingDone: 'nothing was copied',
    });

    this.phase = 'artifact';
    await this.manifest(this.plan.root, 'artifact');

    this.phase = 'referrers';
    await this.attachedOf(this.plan.root);
    // Entries of subjects outside the walk (the artifact itself refers to something): written last.
    await Promise.all([...this.pending.keys()].map((subject) => this.recordPending(subject)));

    if (this.result.failures.length === 0) {
      this.phase = 'tagging';
      for (const tag of tags) {
        const from = current.get(tag);
        if (from === root.descriptor.digest) {
          this.result.tags.push({ tag, action: 'unchanged' });
          continue;
        }
        await this.guard(`tag ${tag}`, () => this.to.pushManifest(root.bytes, root.descriptor.mediaType, tag, { signal: this.signal }));
        this.result.tags.push(from !== undefined ? { tag, action: 'moved', from } : { tag, action: 'created' });
      }
    }
    const r = this.result;
    r.nothingCopied =
      r.blobs.copied + r.blobs.mounted + r.manifests.copied + r.referrers.copied === 0 &&
      r.cosignTags.every((t) => t.action === 'unchanged') &&
      r.tags.every((t) => t.action === 'unchanged') &&
      r.failures.length === 0;
    this.phase = 'done';
    this.report();
    return r;
  }

  /**
   * Copies a manifest's blobs and children, then the manifest by digest (or under `reference`).
   * `alwaysPut` pushes it even when the destination has it, for what the push itself records.
   */
  private async manifest(node: CopyNode, role: Role, reference = node.descriptor.digest, alwaysPut = false): Promise<void> {
    const digest = node.descriptor.digest;
    // Pushed anyway: a HEAD would only spare the blobs' own HEADs, and only when the manifest is there.
    const there = reference === digest && (alwaysPut ? (await this.present.get(digest)) === true : await this.exists(digest));
    if (there) {
      this.skipContents(node, role);
      if (!alwaysPut) return this.count(role, 'skipped', digest);
    } else {
      await Promise.all([...node.blobs.map((b) => this.blob(b)), ...node.children.map((c) => this.manifest(c, role))]);
    }
    const pushed = await this.guard(`${role === 'artifact' ? 'manifest' : 'referrer'} ${digest}`, () =>
      this.requestLimit(() => this.to.pushManifestUnrecorded(node.bytes, node.descriptor.mediaType, reference, { signal: this.signal })),
    );
    if (pushed.unrecorded) {
      const entries = this.pending.get(pushed.unrecorded.subject) ?? [];
      entries.push(pushed.unrecorded.entry);
      this.pending.set(pushed.unrecorded.subject, entries);
    }
    if (!there && !alwaysPut && reference === digest) this.created.add(digest);
    this.present.set(digest, Promise.resolve(true));
    this.count(role, 'copied', digest);
  }

  /** A manifest the destination has: it and everything under it are there. */
  private skipGraph(node: CopyNode, role: Role): void {
    this.count(role, 'skipped', node.descriptor.digest);
    this.skipContents(node, role);
  }

  private skipContents(node: CopyNode, role: Role): void {
    for (const blob of node.blobs) {
      if (this.blobs.has(blob.digest)) continue;
      this.blobs.set(blob.digest, Promise.resolve());
      this.result.blobs.skipped++;
      this.sent.set(blob.digest, blob.size);
      this.markDone(`blob ${blob.digest}`);
    }
    for (const child of node.children) if (!this.done.has(`manifest ${child.descriptor.digest}`)) this.skipGraph(child, role);
  }

  private count(role: Role, how: 'copied' | 'skipped', digest: string): void {
    if (this.done.has(`manifest ${digest}`)) return;
    (role === 'artifact' ? this.result.manifests : this.result.referrers)[how]++;
    this.markDone(`manifest ${digest}`);
  }

  private blob(descriptor: { digest: string; size: number }): Promise<void> {
    let copy = this.blobs.get(descriptor.digest);
    if (!copy) {
      copy = this.blobLimit(async () => {
        const source = streamingSource(this.plan.from, descriptor, {
          signal: this.signal,
          onBytes: (sent) => {
            this.sent.set(descriptor.digest, sent);
            this.report();
          },
        });
        // Stream it whole in one PUT (no chunking): the source download is the pace, and a chunk could not be re-read without a new download.
        const pushed = await this.guard(`blob ${descriptor.digest} (${descriptor.size} bytes)`, () =>
          this.to.pushBlob(source, {
            mountFrom: this.mountFrom,
            beforeMount: () => this.readThrough(descriptor),
            chunkSize: Number.MAX_SAFE_INTEGER,
            signal: this.signal,
          }),
        );
        if (pushed.how === 'uploaded') {
          this.result.blobs.copied++;
          this.result.blobs.bytesCopied += descriptor.size;
        } else if (pushed.how === 'mounted') this.result.blobs.mounted++;
        else this.result.blobs.skipped++;
        this.sent.set(descriptor.digest, descriptor.size);
        this.markDone(`blob ${descriptor.digest}`);
      });
      this.blobs.set(descriptor.digest, copy);
    }
    return copy;
  }

  /**
   * Reads a source blob to its end through the digest check, keeping nothing: what a mount needs
   * first. A mount links the bytes the registry stores, and Distribution checks a digest when
   * bytes are uploaded, not when its storage changes under it, so no source is trusted to hold
   * what its digest says; a blob is mounted only once this copy has read and verified it.
   */
  private async readThrough(descriptor: { digest: string; size: number }): Promise<void> {
    const stream = await this.plan.from.fetchBlob(descriptor, {
      signal: this.signal,
      onBytes: (read) => {
        this.sent.set(descriptor.digest, read);
        this.report();
      },
    });
    for await (const chunk of stream) void chunk;
  }

  /**
   * Everything attached to `node` and to the manifests under it, each failure recorded, not
   * thrown. One subject's referrers go up together and enter its fallback index in one rewrite
   * (a rewrite per referrer costs n² for n referrers); each manifest is walked once.
   */
  private async attachedOf(node: CopyNode): Promise<void> {
    if (this.walked.has(node)) return;
    this.walked.add(node);
    const own = (async () => {
      const copied = await Promise.all(
        node.attached.map(async (a) => {
          try {
            await this.attached(a);
            return a;
          } catch (error) {
            if (isCancellation(error, this.signal)) throw error;
            this.result.failures.push({ what: describeAttached(a), message: errorMessage(error) });
            return undefined;
          }
        }),
      );
      await this.recordPending(node.descriptor.digest);
      await Promise.all(copied.filter((a) => a !== undefined).map((a) => this.attachedOf(a.node)));
    })();
    await Promise.all([own, ...node.children.map((c) => this.attachedOf(c))]);
  }

  /** Writes the fallback-index entries waiting for `subject`, all in one rewrite; a failure is recorded. */
  private async recordPending(subject: string): Promise<void> {
    const entries = this.pending.get(subject);
    if (!entries) return;
    this.pending.delete(subject);
    try {
      await this.requestLimit(() => this.to.recordReferrers(subject, entries, { signal: this.signal }));
    } catch (error) {
      if (isCancellation(error, this.signal)) throw error;
      const what = `the referrers index ${referrersTagFor(subject)} (${entries.length} referrers of ${subject})`;
      this.result.failures.push({ what, message: errorMessage(error) });
    }
  }

  private async attached(a: AttachedNode): Promise<void> {
    if (a.via === 'cosign-tag') return this.copyCosignTag(a);
    const digest = a.node.descriptor.digest;
    if ((await this.listedAt(a.subject)).has(digest)) {
      this.skipGraph(a.node, 'referrer');
      return;
    }
    // Pushed again even when the manifest is there: the push is what records it in the fallback index.
    await this.manifest(a.node, 'referrer', digest, true);
    (await this.listedAt(a.subject)).add(digest);
  }

  private async copyCosignTag(a: AttachedNode): Promise<void> {
    const tag = a.tag!;
    const node = a.node;
    const current = await this.cosignTag(tag);
    const record = (action: CosignTagAction, layers: number): void => void this.result.cosignTags.push({ tag, action, layers });
    const layerCount = (manifest: FetchedManifest['manifest']) =>
      'layers' in manifest && Array.isArray(manifest.layers) ? manifest.layers.length : 0;
    if (current?.descriptor.digest === node.descriptor.digest) {
      this.skipGraph(node, 'referrer');
      return record('unchanged', layerCount(node.manifest));
    }
    if (!current) {
      await this.manifest(node, 'referrer', tag);
      return record('copied', layerCount(node.manifest));
    }
    if (cosignTagSuffix(tag) === '.sbom') {
      // Only reached with consent: destinationMoves listed it as a move.
      await this.manifest(node, 'referrer', tag);
      return record('replaced', layerCount(node.manifest));
    }
    const decision = decideCosignTag(node.manifest, current.manifest);
    if (decision.action === 'incompatible')
      throw new OciError(
        'MANIFEST_INVALID',
        `${formatReference(tagged(this.to, tag))} cannot take the source's ${tag}: ${decision.reason}`,
        { registry: this.to.registry, repository: this.to.repository },
      );
    if (decision.action === 'unchanged') {
      this.skipGraph(node, 'referrer');
      return record('unchanged', layerCount(current.manifest));
    }
    if (decision.action === 'copy') {
      await this.manifest(node, 'referrer', tag);
      return record('copied', layerCount(node.manifest));
    }
    await Promise.all(decision.added.map((l) => this.blob(l)));
    const config = signatureConfig(decision.layers);
    await this.guard(`the merged config of ${tag}`, () => this.to.pushBlob(bufferSource(config), { signal: this.signal }));
    await this.guard(`the merged ${tag}`, () =>
      this.to.pushManifest(signatureManifest(config, decision.layers), MediaType.OciManifest, tag, { signal: this.signal }),
    );
    this.count('referrer', 'copied', node.descriptor.digest);
    record('merged', decision.layers.length);
  }

  private exists(digest: string): Promise<boolean> {
    let known = this.present.get(digest);
    if (!known) {
      known = this.requestLimit(() => this.to.resolve(digest, { signal: this.signal })).then(
        () => true,
        (error: unknown) => {
          if (isOciError(error, 'MANIFEST_UNKNOWN') || isOciError(error, 'NAME_UNKNOWN')) return false;
          throw error;
        },
      );
      this.present.set(digest, known);
    }
    return known;
  }

  /** The referrers the destination's own discovery lists for `subject`. */
  private listedAt(subject: string): Promise<Set<string>> {
    let known = this.listed.get(subject);
    if (!known && this.created.has(subject)) this.listed.set(subject, (known = Promise.resolve(new Set<string>())));
    if (!known) {
      known = this.requestLimit(() => this.to.referrers(subject, { signal: this.signal })).then(
        (found) => new Set(found.map((d) => d.digest)),
      );
      this.listed.set(subject, known);
    }
    return known;
  }

  private async fetchIfExists(tag: string): Promise<FetchedManifest | undefined> {
    try {
      return await this.requestLimit(() => this.to.fetchManifest(tag, { signal: this.signal }));
    } catch (error) {
      if (isOciError(error, 'MANIFEST_UNKNOWN') || isOciError(error, 'NAME_UNKNOWN')) return undefined;
      throw error;
    }
  }

  /** Where a tag the copy sets points now: as the caller knows it, a cosign tag as read for its copy, else asked for. */
  private async currentOf(tag: string): Promise<string | undefined> {
    if (this.options.currentTags?.has(tag)) return this.options.currentTags.get(tag);
    if (cosignTagSuffix(tag)) return (await this.cosignTag(tag))?.descriptor.digest;
    return currentDigest(this.to, tag, this.signal);
  }

  private cosignTag(tag: string): Promise<FetchedManifest | undefined> {
    let read = this.cosignTags.get(tag);
    if (!read) this.cosignTags.set(tag, (read = this.fetchIfExists(tag)));
    return read;
  }

  /** Runs one step; a failure names what was being copied (a cancellation stays a cancellation). */
  private async guard<T>(what: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      if (isCancellation(error, this.signal) || !isOciError(error)) throw error;
      throw new OciError(error.code, `Could not copy ${what} to ${formatRepository(this.to)}: ${error.message}`, {
        status: error.status,
        registry: error.registry,
        repository: error.repository,
        cause: error,
      });
    }
  }

  private markDone(item: string): void {
    this.done.add(item);
    this.report();
  }

  private report(): void {
    if (!this.options.onProgress) return;
    const summary = this.plan.summary;
    let bytesDone = 0;
    for (const n of this.sent.values()) bytesDone += n;
    this.options.onProgress({
      phase: this.phase,
      bytesDone: Math.min(bytesDone, summary.totalBytes),
      bytesTotal: summary.totalBytes,
      itemsDone: Math.min(this.done.size, summary.totalBlobs + summary.totalManifests),
      itemsTotal: summary.totalBlobs + summary.totalManifests,
    });
  }
}

function isCancellation(error: unknown, signal?: AbortSignal): boolean {
  return !!signal?.aborted || isOciError(error, 'CANCELLED');
}

function describeAttached(a: AttachedNode): string {
  return a.via === 'cosign-tag' ? `cosign tag ${a.tag}` : `${a.category} referrer ${a.node.descriptor.digest} of ${a.subject}`;
}

function* allAttached(node: CopyNode, seen = new Set<CopyNode>()): Generator<AttachedNode> {
  if (seen.has(node)) return;
  seen.add(node);
  for (const a of node.attached) {
    yield a;
    yield* allAttached(a.node, seen);
  }
  for (const child of node.children) yield* allAttached(child, seen);
}
