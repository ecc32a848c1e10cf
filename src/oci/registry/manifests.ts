import { firstHeader } from '../transport/headers';
import { repositoryScope } from '../auth/scope';
import { digestOf, mismatch, verifyBytes } from '../content/digest';
import type { Descriptor, Manifest } from '../content/descriptor';
import { MANIFEST_ACCEPT, MANIFEST_MEDIA_TYPES } from '../content/mediaTypes';
import { OciError } from '../errors';
import { parseBoundedJson } from '../../text/boundedJson';
import { errorMessage } from '../../text/format';
import { isDigest, validateDigest, validateTag, formatReference, formatRepository, pinned } from '../reference/reference';
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

/** A reference becomes a URL path: only a tag or a digest of their grammars may. */
function validateManifestReference(reference: string): void {
  if (isDigest(reference)) validateDigest(reference);
  else validateTag(reference);
}

/** GETs a manifest by tag or digest and verifies its bytes against the digest. */
export async function fetchManifest(
  t: ManifestTarget,
  reference: string,
  options: { signal?: AbortSignal; maxBytes?: number } = {},
): Promise<FetchedManifest> {
  validateManifestReference(reference);
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
  const bytes = await readLimited(response, maxBytes, `manifest ${reference} of ${formatRepository(t)}`);
  const what = `manifest ${formatRepository(t)}@${reference}`;
  const headerDigest = firstHeader(response.headers['docker-content-digest']);
  let digest: string;
  if (isDigest(reference)) {
    verifyBytes(bytes, reference, what);
    digest = reference;
    if (headerDigest && headerDigest !== reference && headerDigest.startsWith(reference.split(':')[0]))
      throw mismatch(what, reference, headerDigest);
  } else if (headerDigest) {
    validateDigest(headerDigest);
    verifyBytes(bytes, headerDigest, what);
    digest = headerDigest;
  } else {
    digest = digestOf(bytes);
  }
  const manifest = parseManifest(bytes, what);
  const contentType = firstHeader(response.headers['content-type'])?.split(';')[0].trim();
  const mediaType = manifest.mediaType ?? contentType;
  if (manifest.mediaType && contentType && MANIFEST_MEDIA_TYPES.includes(contentType) && contentType !== manifest.mediaType) {
    throw new OciError('MANIFEST_INVALID', `The ${what} says it is ${manifest.mediaType} but was served as ${contentType}`, {
      registry: t.registry,
      repository: t.repository,
    });
  }
  if (!mediaType)
    throw new OciError('MANIFEST_INVALID', `The ${what} has no media type`, { registry: t.registry, repository: t.repository });
  const descriptor: Descriptor = { mediaType, digest, size: bytes.length };
  if (manifest.artifactType) descriptor.artifactType = manifest.artifactType;
  if (manifest.annotations) descriptor.annotations = manifest.annotations;
  return { descriptor, bytes, manifest };
}

/** HEADs a manifest to learn its digest, size and type without downloading it. */
export async function resolveManifest(t: ManifestTarget, reference: string, options: { signal?: AbortSignal } = {}): Promise<Descriptor> {
  validateManifestReference(reference);
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
  const digest = firstHeader(response.headers['docker-content-digest']);
  const size = Number(firstHeader(response.headers['content-length']));
  const mediaType = firstHeader(response.headers['content-type'])?.split(';')[0].trim();
  if (!digest || !mediaType || !Number.isFinite(size)) {
    // Older registries omit the digest on HEAD; the body is then the only source of truth.
    return (await fetchManifest(t, reference, options)).descriptor;
  }
  validateDigest(digest);
  if (isDigest(reference) && digest !== reference) throw mismatch(`manifest ${formatReference(pinned(t, reference))}`, reference, digest);
  return { mediaType, digest, size };
}

export interface PushedManifest {
  descriptor: Descriptor;
  /** The registry indexed the manifest's subject itself (it answered `OCI-Subject`). */
  subjectIndexed: boolean;
}

/** PUTs manifest bytes under a tag or their digest. The bytes are stored exactly as given. */
export async function pushManifest(
  t: ManifestTarget,
  bytes: Buffer,
  mediaType: string,
  reference: string,
  options: { signal?: AbortSignal } = {},
): Promise<PushedManifest> {
  const digest = digestOf(bytes);
  if (isDigest(reference) && reference !== digest) throw mismatch('manifest to push', reference, digest);
  if (bytes.length > DEFAULT_MAX_MANIFEST_BYTES) {
    throw new OciError('TOO_LARGE', `The manifest is ${bytes.length} bytes; registries accept at most ${DEFAULT_MAX_MANIFEST_BYTES}`, {
      registry: t.registry,
      repository: t.repository,
    });
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
  const said = firstHeader(response.headers['docker-content-digest']);
  if (said && said.startsWith('sha256:') && said !== digest) throw mismatch(`manifest pushed to ${formatRepository(t)}`, digest, said);
  const manifest = parseManifest(bytes, 'manifest to push');
  const descriptor: Descriptor = { mediaType, digest, size: bytes.length };
  if (manifest.artifactType) descriptor.artifactType = manifest.artifactType;
  if (manifest.annotations) descriptor.annotations = manifest.annotations;
  return { descriptor, subjectIndexed: response.headers['oci-subject'] !== undefined };
}

/**
 * Parses manifest or index JSON and checks its structure once, where it is parsed, so that every
 * caller can rely on the types: descriptors with a string media type, a valid digest and a
 * non-negative size; annotations that map strings to strings; an image manifest with a config and
 * a layers list. A registry that serves anything else gets a message, not a crash further on.
 */
export function parseManifest(bytes: Buffer, what: string): Manifest {
  let value: unknown;
  try {
    value = parseBoundedJson(bytes.toString('utf8'), MAX_MANIFEST_DEPTH);
  } catch (error) {
    throw new OciError('MANIFEST_INVALID', `The ${what} is not usable JSON: ${errorMessage(error)}`);
  }
  if (!isObject(value) || value.schemaVersion !== 2) {
    throw new OciError('MANIFEST_INVALID', `The ${what} is not a schemaVersion 2 manifest or index`);
  }
  const fail = (problem: string) =>
    new OciError('MANIFEST_INVALID', `The ${what} is malformed: ${problem}`, {
      hint: 'The registry serves something that is not a valid OCI manifest; do not use this artifact',
    });
  optionalString(value, 'mediaType', 'its mediaType', fail);
  optionalString(value, 'artifactType', 'its artifactType', fail);
  checkAnnotations(value.annotations, 'the manifest', fail);
  if (value.subject !== undefined) checkDescriptor(value.subject, 'its subject', fail);
  if (value.manifests !== undefined) {
    if (!Array.isArray(value.manifests)) throw fail('"manifests" is not a list');
    value.manifests.forEach((d, i) => checkDescriptor(d, `manifests[${i}]`, fail));
    return value as unknown as Manifest;
  }
  if (value.config === undefined)
    throw fail('it has no config descriptor (an image manifest needs one; artifacts use the empty descriptor)');
  checkDescriptor(value.config, 'its config', fail);
  if (value.layers !== undefined && !Array.isArray(value.layers)) throw fail('"layers" is not a list');
  ((value.layers as unknown[] | undefined) ?? []).forEach((d, i) => checkDescriptor(d, `layers[${i}]`, fail));
  return value as unknown as Manifest;
}

type Fail = (problem: string) => OciError;

/** An index of manifests with annotated descriptors and platforms is five levels deep; leave room for extensions. */
const MAX_MANIFEST_DEPTH = 32;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(object: Record<string, unknown>, key: string, where: string, fail: Fail): void {
  if (object[key] !== undefined && typeof object[key] !== 'string') throw fail(`${where} is not a string`);
}

function checkAnnotations(value: unknown, owner: string, fail: Fail): void {
  if (value === undefined) return;
  if (!isObject(value)) throw fail(`the annotations of ${owner} are not an object`);
  for (const [key, text] of Object.entries(value)) {
    if (typeof text !== 'string') throw fail(`the annotation "${key.slice(0, 100)}" of ${owner} is not a string`);
  }
}

function checkDescriptor(value: unknown, where: string, fail: Fail): void {
  if (!isObject(value)) throw fail(`${where} is not a descriptor object`);
  if (typeof value.mediaType !== 'string' || value.mediaType === '') throw fail(`${where} has no media type`);
  if (typeof value.digest !== 'string' || !/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(value.digest))
    throw fail(`${where} has no valid digest`);
  if (typeof value.size !== 'number' || !Number.isSafeInteger(value.size) || value.size < 0) throw fail(`${where} has no valid size`);
  optionalString(value, 'artifactType', `${where}'s artifactType`, fail);
  checkAnnotations(value.annotations, where, fail);
  if (value.urls !== undefined && (!Array.isArray(value.urls) || value.urls.some((u) => typeof u !== 'string')))
    throw fail(`${where}'s urls are not a list of strings`);
  if (value.platform !== undefined) checkPlatform(value.platform, `${where}'s platform`, fail);
}

/** image-spec image-index.md: os, architecture and variant are strings, os.features and features lists of strings. */
function checkPlatform(value: unknown, where: string, fail: Fail): void {
  if (!isObject(value)) throw fail(`${where} is not an object`);
  for (const key of ['architecture', 'os', 'variant', 'os.version']) optionalString(value, key, `${where}'s ${key}`, fail);
  for (const key of ['os.features', 'features']) {
    const list = value[key];
    if (list !== undefined && (!Array.isArray(list) || list.some((f) => typeof f !== 'string')))
      throw fail(`${where}'s ${key} is not a list of strings`);
  }
}
