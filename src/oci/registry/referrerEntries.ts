import type { Descriptor } from '../content/descriptor';
import { OciError } from '../errors';
import { validateDigest, formatRepository } from '../reference/reference';

/** Where a listing came from, for the refusal: `registry`, `repository`, the subject and the source. */
export interface ListingSite {
  registry: string;
  repository: string;
  subject: string;
  /** "the referrers API" or "the referrers tag sha256-…". */
  source: string;
}

/**
 * The entries of a referrers listing, each checked before anything uses it: a referrer's digest
 * becomes a URL path (`/manifests/<digest>`) and a line of `inspect`, so it must be a digest of a
 * known algorithm and length, not a tag, a path or a number; its media type and artifact type
 * are strings; its size a non-negative integer; its annotations strings. One wrong entry refuses
 * the whole listing: a registry that lies about one referrer is not trusted about the others.
 */
export function referrerEntries(value: unknown, site: ListingSite): Descriptor[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw refused(site, 'its "manifests" is not a list');
  return value.map((entry, i) => referrerEntry(entry, `entry ${i + 1}`, site));
}

function referrerEntry(value: unknown, where: string, site: ListingSite): Descriptor {
  if (!isObject(value)) throw refused(site, `${where} is not a descriptor object`);
  const { mediaType, digest, size, artifactType, annotations } = value;
  if (typeof digest !== 'string') throw refused(site, `${where}'s digest is ${shape(digest)}, not a digest`);
  try {
    validateDigest(digest);
  } catch {
    throw refused(site, `${where}'s digest ${quoted(digest)} is not a sha256 or sha512 digest`);
  }
  if (typeof mediaType !== 'string' || mediaType === '') throw refused(site, `${where} (${digest}) has no media type string`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
    throw refused(site, `${where} (${digest}) has a size of ${shape(size)}, not a byte count`);
  if (artifactType !== undefined && typeof artifactType !== 'string')
    throw refused(site, `${where} (${digest}) has an artifactType of ${shape(artifactType)}, not a string`);
  if (annotations !== undefined && (!isObject(annotations) || Object.values(annotations).some((v) => typeof v !== 'string')))
    throw refused(site, `${where} (${digest}) has annotations that are not all strings`);
  const out: Descriptor = { mediaType, digest, size };
  if (artifactType !== undefined) out.artifactType = artifactType;
  if (annotations !== undefined) out.annotations = annotations as Record<string, string>;
  return out;
}

function refused(site: ListingSite, problem: string): OciError {
  return new OciError(
    'MANIFEST_INVALID',
    `${formatRepository(site)} lists the referrers of ${site.subject} wrongly (${site.source}): ${problem}; none of them is used`,
    {
      registry: site.registry,
      repository: site.repository,
      hint: 'The registry, or whoever pushed that listing, is serving a malformed or hostile referrers list; report it to the registry operator',
    },
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a wrong value is, without printing much of it. */
function shape(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return quoted(value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value).slice(0, 40)}`;
}

/** A string as JSON (control characters escaped), cut at 80 characters. */
function quoted(text: string): string {
  const json = JSON.stringify(text);
  return json.length > 82 ? `${json.slice(0, 80)}…"` : json;
}
