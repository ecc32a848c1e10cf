import { isOciError, referrersTagFor, type Descriptor, type Manifest, type ReferrersSource, type RepositoryApi } from '../oci';
import { recognise } from './kinds';

/** What is attached to an artifact, grouped as a user thinks of it. */
export type AttachedCategory = 'signature' | 'sbom' | 'attestation' | 'other';

/**
 * Something that refers to an artifact, found the way the tools that read it look: an OCI 1.1
 * referrer (the referrers API, or the `sha256-<hex>` fallback index where there is none), or one
 * of cosign's tags (`sha256-<hex>.sig`, `.att`, `.sbom`: cosign before v3, and `cosign attach`).
 */
export interface Attached {
  /** Where it was found: the referrers API, the fallback index tag, or a cosign tag. */
  via: AttachedVia;
  descriptor: Descriptor;
  /** The cosign tag, for `via: 'cosign-tag'`. */
  tag?: string;
}

export type AttachedVia = ReferrersSource | 'cosign-tag';

export const COSIGN_TAG_SUFFIXES = ['.sig', '.att', '.sbom'] as const;
export type CosignTagSuffix = (typeof COSIGN_TAG_SUFFIXES)[number];

export function cosignTagFor(digest: string, suffix: CosignTagSuffix): string {
  return `${referrersTagFor(digest)}${suffix}`;
}

/** `.sig` for `sha256-<hex>.sig`; undefined for any other tag. */
export function cosignTagSuffix(tag: string): CosignTagSuffix | undefined {
  return COSIGN_TAG_SUFFIXES.find((suffix) => tag.endsWith(suffix) && /^sha(256|512)-[a-f0-9]+\.[a-z]+$/.test(tag));
}

/**
 * Every referrer and cosign tag of `digest` in `repo`: referrers first, then `.sig`, `.att`, `.sbom`.
 * A listing of more than `limit` referrers is refused (TOO_LARGE) as it is read. With `knownTags`
 * (the repository's tags, just listed) a tag not among them is taken as absent, not asked for.
 */
export async function listAttached(
  repo: RepositoryApi,
  digest: string,
  signal?: AbortSignal,
  limit?: number,
  knownTags?: ReadonlySet<string>,
): Promise<Attached[]> {
  const [referrers, ...tags] = await Promise.all([
    repo.referrersListing(digest, { signal, limit, knownTags }),
    ...COSIGN_TAG_SUFFIXES.map(async (suffix) => {
      const tag = cosignTagFor(digest, suffix);
      if (knownTags && !knownTags.has(tag)) return undefined;
      try {
        return { tag, descriptor: await repo.resolve(tag, { signal }) };
      } catch (error) {
        if (isOciError(error, 'MANIFEST_UNKNOWN') || isOciError(error, 'NAME_UNKNOWN')) return undefined;
        throw error;
      }
    }),
  ]);
  const out: Attached[] = referrers.referrers.map((descriptor) => ({ via: referrers.foundBy, descriptor }));
  for (const found of tags) if (found) out.push({ via: 'cosign-tag', descriptor: found.descriptor, tag: found.tag });
  return out;
}

/** The category of an attached manifest: cosign's tag suffix says it for tags, the manifest's types otherwise. */
export function attachedCategory(manifest: Manifest, tag?: string): AttachedCategory {
  const suffix = tag ? cosignTagSuffix(tag) : undefined;
  if (suffix === '.sig') return 'signature';
  if (suffix === '.att') return 'attestation';
  if (suffix === '.sbom') return 'sbom';
  return recognise(manifest).kind.accessory ?? 'other';
}
