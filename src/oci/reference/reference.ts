import { OciError } from '../errors';
import { DIGEST, DIGEST_HEX_LENGTH, MAX_NAME_LENGTH, REPOSITORY_COMPONENT, TAG } from './grammar';
import { DOCKER_HUB_HOST, isDockerHub, normalizeHost } from './host';

/** A parsed `registry/repository[:tag][@digest]`. */
export interface Reference {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** A reference that names one manifest by its digest: what content-addressed caches and files are keyed by. */
export type PinnedReference = Reference & { digest: string };
/** A reference that names its tag (what a copy reads from, and sets at its destination). */
export type TaggedReference = Reference & { tag: string };

export interface ParseOptions {
  /** Accept a bare "repo" or "org/repo" as a Docker Hub name, as Docker does (default true). */
  allowDockerHubShortNames?: boolean;
}

/**
 * Parses "registry/repo:tag@digest", optionally prefixed with "oci://" as Flux and Argo CD write it.
 * Throws an OciError whose message says which part is wrong and what is allowed.
 */
export function parseReference(input: string, options: ParseOptions = {}): Reference {
  const original = input;
  let text = input.trim();
  if (/^oci:\/\//i.test(text)) text = text.slice('oci://'.length);
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw invalid(original, 'only the oci:// scheme is understood here (or no scheme at all)');
  }
  if (text === '') throw invalid(original, 'it is empty');

  let digest: string | undefined;
  const at = text.indexOf('@');
  if (at >= 0) {
    digest = text.slice(at + 1);
    text = text.slice(0, at);
    validateDigest(digest, original);
  }

  let tag: string | undefined;
  const lastSlash = text.lastIndexOf('/');
  const lastColon = text.lastIndexOf(':');
  if (lastColon > lastSlash && lastSlash >= 0) {
    tag = text.slice(lastColon + 1);
    text = text.slice(0, lastColon);
    if (!TAG.test(tag)) {
      throw invalid(
        original,
        `tag "${tag}" is not valid (up to 128 characters of letters, digits, "_", "." and "-", not starting with "." or "-")`,
      );
    }
  }

  const slash = text.indexOf('/');
  let registry: string;
  let repository: string;
  const firstPart = slash < 0 ? text : text.slice(0, slash);
  const looksLikeHost =
    slash >= 0 && (firstPart.includes('.') || firstPart.includes(':') || firstPart === 'localhost' || firstPart.startsWith('['));
  if (looksLikeHost) {
    registry = normalizeHost(firstPart, original);
    repository = text.slice(slash + 1);
  } else {
    if (options.allowDockerHubShortNames === false) {
      throw invalid(original, 'it has no registry host; write it as host/repository, e.g. ghcr.io/org/app');
    }
    if (slash < 0 && lastColon > 0) {
      // "name:tag" with no registry.
      tag = text.slice(lastColon + 1);
      text = text.slice(0, lastColon);
      if (!TAG.test(tag)) throw invalid(original, `tag "${tag}" is not valid`);
    }
    registry = DOCKER_HUB_HOST;
    repository = text;
  }
  if (isDockerHub(registry) && !repository.includes('/')) repository = `library/${repository}`;
  validateRepository(repository, original);
  if (registry.length + 1 + repository.length > MAX_NAME_LENGTH) {
    throw invalid(original, `registry and repository together are longer than ${MAX_NAME_LENGTH} characters`);
  }
  const ref: Reference = { registry, repository };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

export function validateRepository(repository: string, original = repository): void {
  if (repository === '') throw invalid(original, 'the repository name is empty');
  for (const component of repository.split('/')) {
    if (!REPOSITORY_COMPONENT.test(component)) {
      const lower = component.toLowerCase() !== component ? ' (it must be lowercase)' : '';
      throw invalid(
        original,
        `repository path component "${component}" is not valid${lower}; use lowercase letters and digits separated by ".", "_", "__" or "-"`,
      );
    }
  }
}

export function validateTag(tag: string): void {
  if (!TAG.test(tag)) {
    throw new OciError(
      'INVALID_REFERENCE',
      `Invalid tag "${tag}": use up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"`,
    );
  }
}

export function validateDigest(digest: string, original = digest): void {
  if (!DIGEST.test(digest)) {
    throw invalid(original, `digest "${digest}" is not of the form algorithm:hex, e.g. sha256:<64 hex digits>`);
  }
  const [algorithm, encoded] = digest.split(':', 2);
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined) throw invalid(original, `digest algorithm "${algorithm}" is not supported (use sha256 or sha512)`);
  if (encoded.length !== length || !/^[a-f0-9]+$/.test(encoded)) {
    throw invalid(original, `a ${algorithm} digest has exactly ${length} lowercase hex digits`);
  }
}

/** `registry/repository[:tag][@digest]` */
export function formatReference(ref: Reference): string {
  let out = formatRepository(ref);
  if (ref.tag) out += `:${ref.tag}`;
  if (ref.digest) out += `@${ref.digest}`;
  return out;
}

/** `registry/repository`: the repository a reference is in, without its tag or digest. */
export function formatRepository(ref: Pick<Reference, 'registry' | 'repository'>): string {
  return `${ref.registry}/${ref.repository}`;
}

/**
 * Whether a manifest reference (what follows "repository:" or "repository@") is a digest: a tag
 * never holds ":", a digest always does ("sha256:…"). Says nothing about validity; validateDigest does.
 */
export function isDigest(reference: string): boolean {
  return reference.includes(':');
}

/** The same repository, pinned to one manifest: `registry/repository@digest`, without the tag it may have been found by. */
export function pinned(ref: Pick<Reference, 'registry' | 'repository'>, digest: string): PinnedReference {
  return { registry: ref.registry, repository: ref.repository, digest };
}

/** The same repository at a tag (no digest). */
export function tagged(ref: Pick<Reference, 'registry' | 'repository'>, tag: string): TaggedReference {
  return { registry: ref.registry, repository: ref.repository, tag };
}

/** The same repository at a tag or digest, whichever `target` is (as read from a manifest URL or typed by a user). */
export function at(ref: Pick<Reference, 'registry' | 'repository'>, target: string): Reference {
  return isDigest(target) ? pinned(ref, target) : tagged(ref, target);
}

/** The most specific thing to ask the registry for: the digest when known, else the tag, else "latest". */
export function referenceTarget(ref: Reference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

function invalid(input: string, why: string): OciError {
  return new OciError('INVALID_REFERENCE', `Invalid reference "${input}": ${why}`);
}
