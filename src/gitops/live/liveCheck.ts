import { isIndex, isOciError, MediaType, type Descriptor, type ImageManifest, type Manifest, type RepositoryApi } from '../../oci';
import { discoverSignatures, type FoundSignature } from '../../signing/signatureDiscovery';
import { verifyArtifact, type ArtifactVerification, type VerificationTrust } from '../../signing/verifyArtifact';
import type { Diagnostic } from '../diagnostic';
import { parseManifests } from '../documents';
import { applyTo, type AppliedBy } from '../kustomize/appliedBy';
import type { FileRole } from '../kustomize/kustomizeIndex';
import { isPartialDocument } from '../kustomize/partialObjects';
import { skipReason } from '../scope';
import { declaredSources } from '../sourceReferences';
import { addSources, type SourceIndex } from '../sources';
import { LiveCache } from './liveCache';
import { ociRepository, repositoryText, type OciRepository } from '../contract/completionSite';
import type { LiveTarget } from '../contract/liveTarget';
import { liveTargetsOf } from '../kindQueries';
import { NoMatchingTag, selectReference, semverOptionsFor } from './resolveSelector';
import { age, shortDigest } from '../../text/format';

/** Argo CD's default allowlist (`reposerver.oci.layer.media.types`), the same from 3.1 on. */
const ARGO_DEFAULT_LAYER_TYPES = [MediaType.OciLayerTar, MediaType.OciLayerTarGzip, MediaType.HelmChart];

/** "→ sha256:abcd… · 3 days ago · signed" above a ref, and the digest "pin to digest" writes. */
export interface LiveLens {
  start: number;
  end: number;
  title: string;
  tooltip: string;
  /** `host/repository@digest` of what the ref resolves to. */
  resolved: string;
  digest: string;
  /** The fix that pins this ref to the digest, when it is not pinned already. */
  pin?: NonNullable<Diagnostic['fix']>;
}

export interface LiveFindings {
  diagnostics: Diagnostic[];
  lenses: LiveLens[];
}

export interface LiveOptions {
  /** The registry API of a repository the YAML names (OciClient.repository). */
  repository(ref: OciRepository): RepositoryApi;
  /** The keys or certificates the workspace holds for a `spec.verify`, if any. */
  trustFor?(target: LiveTarget): VerificationTrust | undefined;
  cache?: LiveCache;
  now?: number;
  signal?: AbortSignal;
  /** What a kustomization makes of the file; a patch's documents are asked about only when complete enough. */
  role?: FileRole;
  /** Sources the workspace declares (the file's own are always read). */
  sources?: SourceIndex;
  /** What applies the file to the cluster: its objects are asked about as they get there. */
  appliedBy?: AppliedBy;
}

interface Resolution {
  descriptor: Descriptor;
  manifest: Manifest;
  tag?: string;
  signatures: FoundSignature[] | Error;
}

const defaultCache = new LiveCache();

/**
 * Asks the registries what a file's OCIRepositories and Applications point at: that the repository
 * exists and the credentials work, what digest a tag or constraint resolves to, whether the
 * `spec.verify` signature is there (and verifies, when the workspace holds the key), and whether
 * Argo CD would accept the content layer. A registry that cannot be reached yields one info
 * finding per registry, not one per reference.
 */
export async function checkLive(text: string, options: LiveOptions): Promise<LiveFindings> {
  const cache = options.cache ?? defaultCache;
  if (skipReason(text) !== undefined) return { diagnostics: [], lenses: [] };
  const documents = parseManifests(text).documents;
  for (const { doc } of documents) applyTo(doc, options.appliedBy);
  // The file's own sources, over the workspace's when the editor gives them (a HelmRepository beside its HelmRelease).
  const sources = addSources(
    new Map(options.sources ?? []),
    documents.flatMap(({ doc }) => declaredSources(doc)),
  );
  // A reference holding a postBuild variable (`oci://${registry}/app`) is known only in the cluster.
  const targets = documents
    .flatMap(({ doc }) => liveTargetsOf(doc, !isPartialDocument(doc, options.role), sources))
    .filter((target) => !`${repositoryText(target)}:${JSON.stringify(target.selector)}`.includes('${'))
    .map((target) => (target.pin && !text.startsWith(target.pin.key, target.pin.start) ? withoutPin(target) : target));
  const out: LiveFindings = { diagnostics: [], lenses: [] };
  const unreachable = new Map<string, { target: LiveTarget; error: Error }>();
  await Promise.all(
    targets.map(async (target) => {
      const repo = options.repository(ociRepository(target));
      let resolution: Resolution;
      try {
        resolution = await cache.get(`${repositoryText(target)}|${JSON.stringify(target.selector)}`, () =>
          resolve(repo, target, options.signal),
        );
      } catch (error) {
        if (isOciError(error, 'CANCELLED') || options.signal?.aborted) throw error;
        const finding = resolutionFinding(target, error as Error);
        if (finding) out.diagnostics.push(finding);
        else if (!unreachable.has(target.host)) unreachable.set(target.host, { target, error: error as Error });
        return;
      }
      let verification: ArtifactVerification | undefined;
      const trust = target.verify ? options.trustFor?.(target) : undefined;
      if (trust) {
        verification = await cache
          .get(
            `verify|${repositoryText(target)}@${resolution.descriptor.digest}|${target.verify!.secretName ?? ''}|${JSON.stringify(trustIdentity(trust))}`,
            () => verifyArtifact(repo, resolution.descriptor, trust, options.signal),
          )
          .catch(() => undefined);
      }
      out.diagnostics.push(...artifactFindings(target, resolution, verification));
      out.lenses.push(lensFor(target, resolution, verification, options.now ?? Date.now()));
    }),
  );
  for (const [host, { target, error }] of unreachable) {
    out.diagnostics.push({
      code: 'LIVE000',
      severity: 'info',
      message: `Live checks skipped for ${host}: ${firstSentence(error.message)}. The offline checks still apply; live checks retry on the next edit (turn them off with the setting ociGitops.validation.live).`,
      start: target.urlRange[0],
      end: target.urlRange[1],
    });
  }
  out.diagnostics.sort((a, b) => a.start - b.start);
  out.lenses.sort((a, b) => a.start - b.start);
  return out;
}

/** A tag or digest the repository does not hold, with the tags it does hold to suggest. */
class MissingReference extends Error {
  constructor(readonly existing: string[]) {
    super('missing');
  }
}

async function resolve(repo: RepositoryApi, target: LiveTarget, signal?: AbortSignal): Promise<Resolution> {
  const selected = await selectReference(repo, target.selector, semverOptionsFor(target), signal);
  let fetched;
  try {
    fetched = await repo.fetchManifest(selected.reference, { signal });
  } catch (error) {
    if (!isOciError(error, 'MANIFEST_UNKNOWN')) throw error;
    // Registries answer MANIFEST_UNKNOWN for a missing repository too; the tag list tells them apart.
    const page = await repo.tagPage({ pageSize: 100, signal });
    throw new MissingReference(page.items.filter((t) => !/^sha256-[a-f0-9]{64}(\.(sig|att|sbom))?$/.test(t)));
  }
  const { descriptor, manifest } = fetched;
  // A missing signature list is shown as "signature status unknown", not as a failed resolution.
  const signatures = await discoverSignatures(repo, descriptor.digest, signal).catch((error: Error) => error);
  return { descriptor, manifest, ...(selected.tag ? { tag: selected.tag } : {}), signatures };
}

/** Findings for a failure that says something about the manifest; undefined for "cannot reach". */
function resolutionFinding(target: LiveTarget, error: Error): Diagnostic | undefined {
  const where = `${repositoryText(target)}`;
  const docs = target.docs;
  if (error instanceof NoMatchingTag)
    return {
      code: 'LIVE003',
      severity: 'error',
      message: `${error.message} in ${where}. Push a matching version or change the constraint.`,
      start: target.range[0],
      end: target.range[1],
      link: docs,
    };
  if (isOciError(error, 'NAME_UNKNOWN')) {
    return {
      code: 'LIVE001',
      severity: 'error',
      message: `Repository ${where} does not exist. Check the ${target.controller === 'kubelet' ? 'reference' : 'url'}'s spelling, or push the artifact first.`,
      start: target.urlRange[0],
      end: target.urlRange[1],
      link: docs,
    };
  }
  if (error instanceof MissingReference) {
    const what = target.selector.type === 'digest' ? `Digest ${target.selector.value}` : `Tag "${target.selector.value}"`;
    const existing =
      error.existing.length === 0
        ? 'it has no tags'
        : `its tags include ${error.existing.slice(0, 8).join(', ')}${error.existing.length > 8 ? ', …' : ''}`;
    return {
      code: 'LIVE002',
      severity: 'error',
      message: `${what} does not exist in ${where} (${existing}). Push it, or pick an existing ${target.selector.type === 'digest' ? 'digest' : 'tag'}.`,
      start: target.range[0],
      end: target.range[1],
      link: docs,
    };
  }
  if (isOciError(error, 'UNAUTHORIZED') || isOciError(error, 'DENIED') || isOciError(error, 'CREDENTIALS')) {
    return {
      code: 'LIVE004',
      severity: 'warning',
      message: `Cannot read ${where} with the credentials this editor has: ${firstSentence(error.message)}. Sign in to ${target.host} (OCI GitOps: Sign In) so the tag can be checked; the cluster needs its own pull secret.`,
      start: target.urlRange[0],
      end: target.urlRange[1],
      link: docs,
    };
  }
  return undefined;
}

function artifactFindings(target: LiveTarget, resolution: Resolution, verification: ArtifactVerification | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { manifest } = resolution;
  const layers = isIndex(manifest) ? [] : (manifest.layers ?? []);
  if (target.verify) {
    const provider = target.verify.provider;
    const wanted = provider === 'notation' ? ['notation'] : ['cosign', 'sigstore-bundle'];
    const signatures = resolution.signatures;
    if (!(signatures instanceof Error) && !signatures.some((s) => wanted.includes(s.format))) {
      out.push({
        code: 'LIVE005',
        severity: 'error',
        message: `spec.verify expects a ${provider} signature but ${repositoryText(target)}@${short(resolution.descriptor.digest)} has none${signatures.length > 0 ? ` (it has ${[...new Set(signatures.map((s) => s.format))].join(', ')})` : ''}; Flux will refuse the artifact. Sign it (OCI GitOps: Sign Artifact…) or change spec.verify.provider.`,
        start: target.range[0],
        end: target.range[1],
        link: target.docs,
      });
    } else if (verification && !verification.verified) {
      const relevant = verification.signatures.filter((s) => wanted.includes(s.format));
      const reasons = [...new Set(relevant.map((s) => s.reason))].join('; ');
      out.push({
        code: 'LIVE006',
        severity: 'error',
        message: `No ${provider} signature of ${short(resolution.descriptor.digest)} verifies with ${target.verify.identities.length > 0 ? 'the matchOIDCIdentity rules and the trusted root' : `the keys the workspace holds for secret "${target.verify.secretName ?? ''}"`}: ${reasons || 'no signature checked'}. Flux will refuse the artifact; sign it with the matching key or identity.`,
        start: target.range[0],
        end: target.range[1],
        link: target.docs,
      });
    }
  }
  if (target.layerMediaType && !isIndex(manifest) && !layers.some((l) => l.mediaType === target.layerMediaType)) {
    out.push({
      code: 'LIVE007',
      severity: 'error',
      message: `spec.layerSelector.mediaType "${target.layerMediaType}" matches no layer of ${short(resolution.descriptor.digest)} (its layers: ${layers.map((l) => l.mediaType).join(', ') || 'none'}); Flux fails with "failed to find layer with media type".`,
      start: target.range[0],
      end: target.range[1],
      link: target.docs,
    });
  }
  if (target.controller === 'argo-cd' && !isIndex(manifest)) out.push(...argoLayerFindings(target, manifest, resolution.descriptor.digest));
  return out;
}

/** Argo CD takes exactly one content layer (tar, tar+gzip) and only from its allowlist. */
function argoLayerFindings(target: LiveTarget, manifest: ImageManifest, digest: string): Diagnostic[] {
  const layers = manifest.layers ?? [];
  const helm = manifest.config?.mediaType === MediaType.HelmConfig;
  const content = helm
    ? layers.filter((l) => l.mediaType === MediaType.HelmChart)
    : layers.filter((l) => /(tar|tar\+gzip|tar\.gzip)$/.test(l.mediaType));
  const at = { start: target.range[0], end: target.range[1], link: target.docs };
  if (content.length !== 1) {
    return [
      {
        code: 'LIVE008',
        severity: 'error',
        message: `Argo CD needs exactly one content layer (a tar or tar+gzip) but ${short(digest)} has ${content.length} (layers: ${layers.map((l) => l.mediaType).join(', ') || 'none'}); push the folder as one tarball.`,
        ...at,
      },
    ];
  }
  const mediaType = content[0].mediaType;
  if (ARGO_DEFAULT_LAYER_TYPES.includes(mediaType as (typeof ARGO_DEFAULT_LAYER_TYPES)[number])) return [];
  return [
    {
      code: 'LIVE009',
      severity: 'warning',
      message: `Argo CD rejects the layer media type ${mediaType} by default ("not in the list of allowed media types"). Add it to reposerver.oci.layer.media.types in argocd-cmd-params-cm, or push with the standard tarball type ${MediaType.OciLayerTarGzip}.`,
      ...at,
    },
  ];
}

function lensFor(target: LiveTarget, resolution: Resolution, verification: ArtifactVerification | undefined, now: number): LiveLens {
  const digest = resolution.descriptor.digest;
  const created = resolution.manifest.annotations?.['org.opencontainers.image.created'];
  const createdAt = created ? new Date(created) : undefined;
  const parts = [`${target.selector.type === 'semver' && resolution.tag ? `${resolution.tag} ` : ''}→ ${short(digest)}`];
  if (createdAt && !Number.isNaN(createdAt.getTime())) parts.push(age(createdAt, now));
  parts.push(signatureWord(resolution.signatures, verification));
  const resolved = `${repositoryText(target)}@${digest}`;
  const lens: LiveLens = {
    start: target.range[0],
    end: target.range[1],
    title: parts.join(' · '),
    tooltip: `${repositoryText(target)}${resolution.tag ? `:${resolution.tag}` : ''} resolves to ${digest}${created ? `, created ${created}` : ''}`,
    resolved,
    digest,
  };
  if (target.pin) lens.pin = pinFix(target, digest, resolution.tag);
  return lens;
}

function signatureWord(signatures: FoundSignature[] | Error, verification: ArtifactVerification | undefined): string {
  if (signatures instanceof Error) return 'signatures unknown';
  if (signatures.length === 0) return 'unsigned';
  if (verification?.verified) return 'signed ✓ verified';
  if (verification) return 'signed ✗ not verified';
  return 'signed';
}

/**
 * A target whose pin would replace text that is not its `key: value` pair (the pair came from an
 * alias or a merge key: the text there is `*ref`), without the pin.
 */
function withoutPin(target: LiveTarget): LiveTarget {
  const { pin: _pin, ...rest } = target;
  return rest;
}

/** The edit that pins a tag or constraint to a digest, keeping what it replaces as a comment. */
export function pinFix(target: LiveTarget, digest: string, tag: string | undefined): NonNullable<Diagnostic['fix']> {
  const pin = target.pin!;
  const was = target.selector.type === 'semver' ? `${pin.key}: ${pin.value}${tag ? ` (resolved ${tag})` : ''}` : `${pin.key}: ${pin.value}`;
  return {
    title: `Pin to digest ${short(digest)}`,
    edits: [{ start: pin.start, end: pin.end, text: `${pin.digestKey}: ${pin.digestPrefix ?? ''}${digest} # ${was}` }],
  };
}

function trustIdentity(trust: VerificationTrust): string[] {
  return [
    ...(trust.cosignKeys ?? []).map((k) => k.name),
    trust.notation ? 'notation' : '',
    ...(trust.keyless ? trust.keyless.identities.map((i) => `${i.issuer} ${i.subject}`) : []),
  ];
}

function short(digest: string): string {
  return `${shortDigest(digest)}…`;
}

function firstSentence(message: string): string {
  return message.split('\n')[0].replace(/\.$/, '');
}
