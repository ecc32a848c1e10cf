import { isOciError, type RepositoryApi } from '../oci';
import type { ClusterSource, ContextReading } from './model';

/** What `where` asks about: a repository, and optionally the tag or digest in question. */
export interface WhereTarget {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/**
 * How a consumer stands against the registry:
 * - `current`: it runs the digest asked about (or, with no tag or digest asked, what its tag is now);
 * - `behind`: it runs its tag's former digest: the tag has moved on since it reconciled;
 * - `other`: it runs another tag's or digest's content than the one asked about;
 * - `pinned`: it asks for a digest and runs it (no tag to move);
 * - `unknown`: it has run nothing yet, or the registry cannot say what its tag is now.
 */
export type Standing = 'current' | 'behind' | 'other' | 'pinned' | 'unknown';

export interface Placement extends ClusterSource {
  standing: Standing;
  /** The digest its tag (or the tag asked about) has in the registry now. */
  registryDigest?: string;
  note?: string;
}

export interface WhereAnswer {
  target: WhereTarget;
  /** The digest the asked tag resolves to now (or the asked digest). */
  targetDigest?: string;
  placements: Placement[];
  contexts: { context: string; server?: string; error?: string; forbidden: ContextReading['forbidden']; elapsedMs: number }[];
}

/** Resolves a tag of the target repository to its manifest digest now; undefined when it does not exist. */
export type TagResolver = (tag: string) => Promise<string | undefined>;

/** Asks the registry: a tag that does not exist (or a repository that does not) resolves to nothing; other failures throw. */
export function registryTagResolver(repository: RepositoryApi): TagResolver {
  return async (tag) => {
    try {
      return (await repository.resolve(tag)).digest;
    } catch (error) {
      if (isOciError(error, 'MANIFEST_UNKNOWN') || isOciError(error, 'NAME_UNKNOWN')) return undefined;
      throw error;
    }
  };
}

/** Whether a source consumes the target repository (registry hosts compared as the OCI client normalises them). */
export function consumes(source: ClusterSource, target: Pick<WhereTarget, 'registry' | 'repository'>): boolean {
  return source.registry === target.registry && source.repository === target.repository;
}

/**
 * Every consumer of the target in every context read, each with the revision it runs and how that
 * stands against the registry now. Tags are resolved once each; a registry failure rejects.
 */
export async function whereRuns(readings: readonly ContextReading[], target: WhereTarget, resolveTag: TagResolver): Promise<WhereAnswer> {
  // The tags are resolved together: the transport sends a registry's first request alone and lets
  // the others follow with the scheme and token it learnt.
  const resolved = new Map<string, Promise<string | undefined>>();
  const resolve = (tag: string) => {
    let digest = resolved.get(tag);
    if (!digest) resolved.set(tag, (digest = resolveTag(tag)));
    return digest;
  };
  const targetDigest = target.digest ?? (target.tag ? await resolve(target.tag) : undefined);
  const placements = await Promise.all(
    readings.flatMap((r) => r.sources.filter((s) => consumes(s, target))).map((source) => place(source, target, targetDigest, resolve)),
  );
  return {
    target,
    ...(targetDigest ? { targetDigest } : {}),
    placements,
    contexts: readings.map((r) => ({
      context: r.context,
      ...(r.server ? { server: r.server } : {}),
      ...(r.error ? { error: r.error } : {}),
      forbidden: r.forbidden,
      elapsedMs: r.elapsedMs,
    })),
  };
}

async function place(
  source: ClusterSource,
  target: WhereTarget,
  targetDigest: string | undefined,
  resolve: TagResolver,
): Promise<Placement> {
  const running = source.digest ?? source.workloads.find((w) => w.digest)?.digest;
  if (!running) return { ...source, standing: 'unknown', note: noDigestNote(source) };
  if (target.digest || target.tag) {
    if (!targetDigest) return { ...source, standing: 'unknown', note: `${target.tag} is not in the registry` };
    if (running === targetDigest) return { ...source, standing: 'current', registryDigest: targetDigest };
    const moved = target.tag !== undefined && source.tag === target.tag;
    return { ...source, standing: moved ? 'behind' : 'other', registryDigest: targetDigest };
  }
  if (!source.tag) return { ...source, standing: 'pinned' };
  const now = await resolve(source.tag);
  if (!now) return { ...source, standing: 'unknown', note: `its tag ${source.tag} is not in the registry (a range, or deleted)` };
  return { ...source, standing: now === running ? 'current' : 'behind', registryDigest: now };
}

function noDigestNote(source: ClusterSource): string {
  // Kubernetes reports an image volume's digest only from 1.35 with ImageVolumeWithDigest (KEP-5365).
  if (source.kind === 'Pod') return 'digest not reported: this kubelet does not report the digest of image volumes';
  return source.revision ? 'the controller reports no digest' : 'not reconciled yet';
}

/** Where one tag of the registry runs, as the Registries view marks it. */
export interface TagPlacements {
  /** Contexts that run the tag's digest (or, before the digest is known, follow the tag). */
  running: string[];
  /** Sources that follow the tag but run an older digest: the tag has moved on since they reconciled. */
  behind: { context: string; source: ClusterSource; runs: string; tagIs: string }[];
}

/**
 * The sources of every reading that run a tag of the target repository (its digest, when known),
 * and those that follow the tag but run another digest.
 */
export function tagPlacements(
  readings: readonly ContextReading[],
  target: Pick<WhereTarget, 'registry' | 'repository'> & { tag: string; digest?: string },
): TagPlacements {
  const running = new Set<string>();
  const behind: TagPlacements['behind'] = [];
  for (const source of readings.flatMap((r) => r.sources)) {
    if (!consumes(source, target)) continue;
    const runs = source.digest ?? source.workloads.find((w) => w.digest)?.digest;
    if (target.digest && runs === target.digest) running.add(source.context);
    else if (source.tag === target.tag) {
      if (!target.digest || !runs) running.add(source.context);
      else behind.push({ context: source.context, source, runs, tagIs: target.digest });
    }
  }
  return { running: [...running], behind };
}
