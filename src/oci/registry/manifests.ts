import { repositoryScope } from '../auth/scope';
import { digestOf, mismatch, verifyBytes } from '../content/digest';
import type { Descriptor, Manifest } from '../content/descriptor';
import { MANIFEST_ACCEPT, MANIFEST_MEDIA_TYPES } from '../content/mediaTypes';
import { OciError } from '../errors';
import { validateDigest } from '../reference/reference';
import { readLimited, type Transport } from '../transport/transport';

export const DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface FetchedManifest {
  descriptor: Descriptor;
  /** The exact bytes the registry holds; their digest is `descriptor.digest`. */
  bytes: Buffer;
  manifest: Manifest;
}

export interface ManifestTarget {
  registry: string;
  repository: string;
  transport: Transport;
}

export function isDigest(reference: string): boolean {
  return reference.includes(':');
}

/** GETs a manifest by tag or digest and verifies its bytes against the digest. */
export async function fetchManifest(t: ManifestTarget, reference: string, options: { signal?: AbortSignal; maxBytes?: number } = {}): Promise<FetchedManifest> {
  if (isDigest(reference)) validateDigest(reference);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
  const response = await t.transport.request({
    registry: t.registry,
    method: 'GET',
    target: `/v2/${t.repository}/manifests/${reference}`,
    headers: { accept: MANIFEST_ACCEPT },
    scopes: [repositoryScope(t.repository, 'pull')],
    signal: options.signal,
    site: { registry: t.registry, repository: t.repository, action: `fetch manifest ${reference}` },
  });
  const bytes = await readLimited(response, maxBytes, `manifest ${reference} of ${t.registry}/${t.repository}`);
  const what = `manifest ${t.registry}/${t.repository}@${reference}`;
  const headerDigest = single(response.headers['docker-content-digest']);
  let digest: string;
  if (isDigest(reference)) {
    verifyBytes(bytes, reference, what);
    digest = reference;
    if (headerDigest && headerDigest !== reference && headerDigest.startsWith(reference.split(':')[0])) throw mismatch(what, reference, headerDigest);
  } else if (headerDigest) {
    validateDigest(headerDigest);
    verifyBytes(bytes, headerDigest, what);
    digest = headerDigest;
  } else {
    digest = digestOf(bytes);
  }
  const manifest = parseManifest(bytes, what);
  const contentType = single(response.headers['content-type'])?.split(';')[0].trim();
  const mediaType = manifest.mediaType ?? contentType;
  if (manifest.mediaType && contentType && MANIFEST_MEDIA_TYPES.includes(contentType) && contentType !== manifest.mediaType) {
    throw new OciError('MANIFEST_INVALID', `The ${what} says it is ${manifest.mediaType} but was served as ${contentType}`, { registry: t.registry, repository: t.repository });
  }
  if (!mediaType) throw new OciError('MANIFEST_INVALID', `The ${what} has no media type`, { registry: t.registry, repository: t.repository });
  const descriptor: Descriptor = { mediaType, digest, size: bytes.length };
  if (manifest.artifactType) descriptor.artifactType = manifest.artifactType;
  if (manifest.annotations) descriptor.annotations = manifest.annotations;
  return { descriptor, bytes, manifest };
}

/** HEADs a manifest to learn its digest, size and type without downloading it. */
export async function resolveManifest(t: ManifestTarget, reference: string, options: { signal?: AbortSignal } = {}): Promise<Descriptor> {
  if (isDigest(reference)) validateDigest(reference);
  const response = await t.transport.request({
    registry: t.registry,
    method: 'HEAD',
    target: `/v2/${t.repository}/manifests/${reference}`,
    headers: { accept: MANIFEST_ACCEPT },
    scopes: [repositoryScope(t.repository, 'pull')],
    signal: options.signal,
    site: { registry: t.registry, repository: t.repository, action: `resolve ${reference}` },
  });
  await response.body.dump();
  const digest = single(response.headers['docker-content-digest']);
  const size = Number(single(response.headers['content-length']));
  const mediaType = single(response.headers['content-type'])?.split(';')[0].trim();
  if (!digest || !mediaType || !Number.isFinite(size)) {
    // Older registries omit the digest on HEAD; the body is then the only source of truth.
    return (await fetchManifest(t, reference, options)).descriptor;
  }
  validateDigest(digest);
  if (isDigest(reference) && digest !== reference) throw mismatch(`manifest ${t.registry}/${t.repository}@${reference}`, reference, digest);
  return { mediaType, digest, size };
}

export interface PushedManifest {
  descriptor: Descriptor;
  /** The registry indexed the manifest's subject itself (it answered `OCI-Subject`). */
  subjectIndexed: boolean;
}

/** PUTs manifest bytes under a tag or their digest. The bytes are stored exactly as given. */
export async function pushManifest(t: ManifestTarget, bytes: Buffer, mediaType: string, reference: string, options: { signal?: AbortSignal } = {}): Promise<PushedManifest> {
  const digest = digestOf(bytes);
  if (isDigest(reference) && reference !== digest) throw mismatch('manifest to push', reference, digest);
  if (bytes.length > DEFAULT_MAX_MANIFEST_BYTES) {
    throw new OciError('TOO_LARGE', `The manifest is ${bytes.length} bytes; registries accept at most ${DEFAULT_MAX_MANIFEST_BYTES}`, { registry: t.registry, repository: t.repository });
  }
  const response = await t.transport.request({
    registry: t.registry,
    method: 'PUT',
    target: `/v2/${t.repository}/manifests/${reference}`,
    headers: { 'content-type': mediaType },
    body: bytes,
    idempotent: true,
    scopes: [repositoryScope(t.repository, 'pull', 'push')],
    signal: options.signal,
    site: { registry: t.registry, repository: t.repository, action: `push manifest ${reference}` },
  });
  await response.body.dump();
  const said = single(response.headers['docker-content-digest']);
  if (said && said.startsWith('sha256:') && said !== digest) throw mismatch(`manifest pushed to ${t.registry}/${t.repository}`, digest, said);
  const manifest = parseManifest(bytes, 'manifest to push');
  const descriptor: Descriptor = { mediaType, digest, size: bytes.length };
  if (manifest.artifactType) descriptor.artifactType = manifest.artifactType;
  if (manifest.annotations) descriptor.annotations = manifest.annotations;
  return { descriptor, subjectIndexed: response.headers['oci-subject'] !== undefined };
}

export function parseManifest(bytes: Buffer, what: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new OciError('MANIFEST_INVALID', `The ${what} is not valid JSON`);
  }
  if (!value || typeof value !== 'object' || (value as { schemaVersion?: unknown }).schemaVersion !== 2) {
    throw new OciError('MANIFEST_INVALID', `The ${what} is not a schemaVersion 2 manifest or index`);
  }
  return value as Manifest;
}


export function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
