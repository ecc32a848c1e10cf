import {
  digestOf,
  formatRepository,
  isIndex,
  type Descriptor,
  type ImageManifest,
  type Manifest,
  type Reference,
  type RepositoryApi,
} from '../../oci';
import { readSignatureLayers } from '../../signing/cosignSignatureTag';
import { discoverSignatures, isBundleArtifactType, type FoundSignature } from '../../signing/signatureDiscovery';
import { checkSignature, type ArtifactVerification, type VerificationTrust } from '../../signing/verifyArtifact';
import type { CandidateEvidence } from './contract';

/**
 * An artifact not pushed yet (a push confirmation asks before anything moves): its manifest as it
 * will be written, and the signatures it will have once pushed. None, unless signing is part of
 * the push: then the caller passes the signatures it made in memory.
 */
export interface PreparedArtifact {
  /** Where it will be pushed: the repository and the tag it will carry. */
  reference: Reference;
  /** The exact manifest bytes that will be pushed (their digest is the artifact's). */
  manifestBytes: Buffer;
  signatures?: FoundSignature[];
  attestationPredicateTypes?: string[];
}

export function isPreparedArtifact(candidate: Reference | PreparedArtifact): candidate is PreparedArtifact {
  return 'manifestBytes' in candidate;
}

/** cosign's predicate type for a plain signature: a bundle of this type is a signature, not an attestation. */
const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';
const BUNDLE_PREDICATE_ANNOTATION = 'dev.sigstore.bundle.predicateType';
/** cosign `attest` writes the predicate type on each `.att` layer. */
const ATT_PREDICATE_ANNOTATION = 'predicateType';

/**
 * What the registry holds for the candidate, read once for every consumer: the manifest, its
 * layers and config type, the attestations' predicate types (cosign `.att` layers and bundle
 * referrers), and the signatures, discovered once and checked against each trust on demand.
 */
export async function gatherEvidence(repo: RepositoryApi, candidate: Reference, signal?: AbortSignal): Promise<CandidateEvidence> {
  repo = withSharedReferrers(repo);
  const { descriptor, manifest } = await repo.fetchManifest(candidate.digest ?? candidate.tag ?? 'latest', { signal });
  let discovery: Promise<FoundSignature[]> | undefined;
  const signatures = () => (discovery ??= discoverSignatures(repo, descriptor.digest, signal));
  return evidenceOf(
    candidate,
    descriptor,
    manifest,
    formatRepository(repo),
    signatures,
    await attestationTypes(repo, descriptor.digest, signal),
  );
}

/** Evidence for an artifact about to be pushed, from its own manifest (the registry is not asked). */
export function preparedEvidence(prepared: PreparedArtifact): CandidateEvidence {
  const manifest = JSON.parse(prepared.manifestBytes.toString('utf8')) as Manifest;
  const descriptor: Descriptor = {
    mediaType: manifest.mediaType ?? 'application/vnd.oci.image.manifest.v1+json',
    digest: digestOf(prepared.manifestBytes),
    size: prepared.manifestBytes.length,
  };
  const scope = `${prepared.reference.registry}/${prepared.reference.repository}`;
  const found = Promise.resolve(prepared.signatures ?? []);
  return evidenceOf(
    { ...prepared.reference, digest: descriptor.digest },
    descriptor,
    manifest,
    scope,
    () => found,
    prepared.attestationPredicateTypes ?? [],
  );
}

function evidenceOf(
  reference: Reference,
  descriptor: Descriptor,
  manifest: Manifest,
  scope: string,
  signatures: () => Promise<FoundSignature[]>,
  attestationPredicateTypes: string[],
): CandidateEvidence {
  const image = isIndex(manifest) ? undefined : (manifest as ImageManifest);
  const verified = new Map<VerificationTrust, Promise<ArtifactVerification>>();
  return {
    reference,
    digest: descriptor.digest,
    mediaType: descriptor.mediaType,
    ...(image?.artifactType ? { artifactType: image.artifactType } : {}),
    ...(image?.config ? { configMediaType: image.config.mediaType } : {}),
    layers: image?.layers ?? [],
    attestationPredicateTypes,
    verify(trust) {
      let result = verified.get(trust);
      if (!result) {
        result = signatures().then((found) => {
          const checked = found.map((f) => checkSignature(f, descriptor, trust, scope));
          return { digest: descriptor.digest, signatures: checked, verified: checked.some((s) => s.status === 'verified') };
        });
        verified.set(trust, result);
      }
      return result;
    },
  };
}

async function attestationTypes(repo: RepositoryApi, digest: string, signal?: AbortSignal): Promise<string[]> {
  const types = new Set<string>();
  const att = await readSignatureLayers(repo, `${digest.replace(':', '-')}.att`, signal).catch(() => undefined);
  for (const layer of att?.layers ?? []) {
    const type = layer.annotations?.[ATT_PREDICATE_ANNOTATION];
    if (type) types.add(type);
  }
  const referrers = await repo.referrers(digest, { signal }).catch(() => []);
  for (const referrer of referrers) {
    const type = referrer.annotations?.[BUNDLE_PREDICATE_ANNOTATION];
    if (isBundleArtifactType(referrer.artifactType) && type && type !== COSIGN_SIGN_PREDICATE) types.add(type);
  }
  return [...types];
}

/**
 * `repo` whose plain referrers listings (no filter or limit) are read once per subject: the
 * attestation types and the signature discovery both list the candidate's referrers, which on a
 * registry without the referrers API is a read of the `sha256-<hex>` fallback tag each.
 */
function withSharedReferrers(repo: RepositoryApi): RepositoryApi {
  const listings = new Map<string, Promise<Descriptor[]>>();
  const shared = Object.create(repo) as RepositoryApi;
  shared.referrers = (subject, options = {}) => {
    if (options.artifactType !== undefined || options.limit !== undefined || options.knownTags) return repo.referrers(subject, options);
    let listing = listings.get(subject);
    if (!listing) listings.set(subject, (listing = repo.referrers(subject, options)));
    return listing;
  };
  return shared;
}
