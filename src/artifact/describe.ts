import { at, formatReference, pinned, referenceTarget, type Descriptor, type Reference, type RepositoryApi } from '../oci';
import { cosignTagSuffix, listAttached, type Attached, type AttachedCategory, type AttachedVia, type CosignTagSuffix } from './attached';
import { kindById, recogniseArtifactType, type ArtifactKind, type KindFacts } from './kinds';
import { summariseManifest, type ArtifactSummary } from './summary';

/** Something attached to an artifact, as the tree, the panel and `inspect` all show it. */
export interface DescribedReferrer {
  descriptor: Descriptor;
  kind: { id: string; label: string };
  category: AttachedCategory;
  /** How it was found: the referrers API, the `sha256-<hex>` fallback index, or a cosign `.sig/.att/.sbom` tag. */
  foundBy: AttachedVia;
  /** The cosign tag it was found under, for `foundBy: 'cosign-tag'`. */
  tag?: string;
  /** What every view calls it: the kind's label (the artifactType when the kind is unknown), and the cosign tag's suffix. */
  label: string;
}

/**
 * One artifact as every view describes it: what it is (kind, facts, headline, annotations,
 * platforms) and what refers to it. The single source for the explorer tree, the artifact panel
 * and `oci-gitops inspect`, so the three cannot disagree.
 */
export interface ArtifactDescription extends ArtifactSummary {
  /** `registry/repository:tag`, or `registry/repository@digest` when asked by digest. */
  reference: string;
  /** `registry/repository@digest`. */
  pinned: string;
  referrers: DescribedReferrer[];
  /** Why the referrers could not be listed; the rest of the description stands without them. */
  referrersError?: Error;
}

export interface DescribeOptions {
  signal?: AbortSignal;
}

/**
 * Reads an artifact's manifest (and small blobs its kind needs) and lists everything attached to
 * it. `target` is a reference of the repository (by its digest when it has one, else its tag), or
 * a tag or digest as a registry or user wrote it.
 */
export async function describeArtifact(
  repo: RepositoryApi,
  target: Reference | string,
  options: DescribeOptions = {},
): Promise<ArtifactDescription> {
  const asked = at(repo, typeof target === 'string' ? target : referenceTarget(target));
  const fetched = await repo.fetchManifest(target, { signal: options.signal });
  // The config a kind reads and everything attached depend only on the manifest: one round for all.
  const [summary, referrers] = await Promise.all([
    summariseManifest(repo, fetched, options.signal),
    describeReferrers(repo, fetched.descriptor.digest, options).then(
      (found) => ({ found }),
      (error: unknown) => ({ error: error instanceof Error ? error : new Error(String(error)) }),
    ),
  ]);
  const description: ArtifactDescription = {
    ...summary,
    reference: formatReference(asked),
    pinned: formatReference(pinned(repo, summary.descriptor.digest)),
    referrers: 'found' in referrers ? referrers.found : [],
  };
  if ('error' in referrers) description.referrersError = referrers.error;
  return description;
}

/**
 * What is attached to `digest`, found the way signing tools look (see listAttached). The tree calls
 * this directly when a tag it has already summarised is expanded.
 */
export async function describeReferrers(repo: RepositoryApi, digest: string, options: DescribeOptions = {}): Promise<DescribedReferrer[]> {
  return (await listAttached(repo, digest, options.signal)).map(describeAttached);
}

/**
 * What cosign's tags hold, by suffix: their manifests carry no artifactType, and an `.att` or
 * `.sbom` manifest has an image config, which by its types alone reads as a container image.
 * cosign (sigstore/cosign pkg/oci/remote/options.go: SignatureTagSuffix ".sig",
 * AttestationTagSuffix ".att", SBOMTagSuffix ".sbom"); `cosign attach sbom` defaults to SPDX.
 */
const COSIGN_TAG_KINDS: Record<CosignTagSuffix, string> = {
  '.sig': 'cosign-signature',
  '.att': 'cosign-attestation',
  '.sbom': 'sbom-spdx',
};

function describeAttached(attached: Attached): DescribedReferrer {
  const suffix = attached.tag ? cosignTagSuffix(attached.tag) : undefined;
  if (attached.via === 'cosign-tag' && suffix) {
    const kind = kindById(COSIGN_TAG_KINDS[suffix]);
    return {
      descriptor: attached.descriptor,
      kind: { id: kind.id, label: kind.label },
      category: kind.accessory ?? 'other',
      foundBy: attached.via,
      tag: attached.tag,
      label: `${kind.label} (${suffix} tag)`,
    };
  }
  const kind: ArtifactKind = recogniseArtifactType(attached.descriptor.artifactType);
  return {
    descriptor: attached.descriptor,
    kind: { id: kind.id, label: kind.label },
    category: kind.accessory ?? 'other',
    foundBy: attached.via,
    label: kind.id === 'unknown' ? (attached.descriptor.artifactType ?? kind.label) : kind.label,
  };
}

/** How each way of finding a referrer is worded in the panel and the CLI's text output. */
export const FOUND_BY_TEXT: Record<AttachedVia, string> = {
  'referrers-api': 'referrers API',
  'fallback-tag': 'referrers fallback tag',
  'cosign-tag': 'cosign tag',
};

/** A fact as one line of text, for the panel and the CLI: lists joined, each entry of a list of records as key=value pairs. */
export function factText(value: KindFacts[string]): string {
  if (value === undefined) return '';
  if (!Array.isArray(value)) return String(value);
  return value
    .map((item) =>
      typeof item === 'string'
        ? item
        : Object.entries(item)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(' '),
    )
    .join(', ');
}
