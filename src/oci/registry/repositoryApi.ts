import type { Readable } from 'node:stream';
import { repositoryScope } from '../auth/scope';
import type { Descriptor } from '../content/descriptor';
import { isIndex } from '../content/descriptor';
import { OciError } from '../errors';
import { formatReference, isDigest, referenceTarget, validateDigest, validateTag, type Reference } from '../reference/reference';
import type { Transport } from '../transport/transport';
import { fetchBlob, fetchBlobBytes, statBlob } from './blobs';
import { fetchManifest, parseManifest, pushManifest, resolveManifest, type FetchedManifest, type ManifestTarget } from './manifests';
import type { Page, PageOptions } from './paging';
import {
  addToFallbackIndex,
  listReferrers,
  referrerDescriptor,
  removeFromFallbackIndex,
  type ReferrersListing,
  type ReferrersOptions,
  type ReferrersState,
} from './referrers';
import { allTags, tagPage, tagPages } from './tags';
import { pushBlob, pushBlobStream, type BlobSource, type PushBlobOptions, type PushedBlob, type StreamBlobOptions } from './upload';

interface Signal {
  signal?: AbortSignal;
}

/** Everything the client does within one repository. */
export class RepositoryApi implements ManifestTarget {
  constructor(
    readonly registry: string,
    readonly repository: string,
    readonly transport: Transport,
    private readonly referrersState: ReferrersState,
  ) {}

  tagPage(options: PageOptions = {}): Promise<Page<string>> {
    return tagPage(this, options);
  }

  /** Every tag, following every page. */
  tags(options: { pageSize?: number; signal?: AbortSignal } = {}): AsyncGenerator<string> {
    return allTags(this, options);
  }

  /** Every tag, following every page, a page's new tags at a time. */
  tagPages(options: { pageSize?: number; signal?: AbortSignal } = {}): AsyncGenerator<string[]> {
    return tagPages(this, options);
  }

  /** The manifest a reference of this repository names, or a tag or digest as a registry or user wrote it. */
  async fetchManifest(target: Reference | string, options: Signal & { maxBytes?: number } = {}): Promise<FetchedManifest> {
    return fetchManifest(this, this.manifestTarget(target), options);
  }

  /** The descriptor of the manifest a reference of this repository names, or of a tag or digest. */
  async resolve(target: Reference | string, options: Signal = {}): Promise<Descriptor> {
    return resolveManifest(this, this.manifestTarget(target), options);
  }

  fetchBlob(
    descriptor: Pick<Descriptor, 'digest' | 'size'>,
    options: Signal & { onBytes?: (received: number) => void } = {},
  ): Promise<Readable> {
    return fetchBlob(this, descriptor, options);
  }

  fetchBlobBytes(descriptor: Pick<Descriptor, 'digest' | 'size'>, options: Signal & { maxBytes?: number } = {}): Promise<Buffer> {
    return fetchBlobBytes(this, descriptor, options);
  }

  blobExists(digest: string, options: Signal = {}): Promise<Descriptor | undefined> {
    return statBlob(this, digest, options);
  }

  pushBlob(source: BlobSource, options: PushBlobOptions = {}): Promise<PushedBlob> {
    return pushBlob(this, source, options);
  }

  /** Uploads bytes as they are produced; the digest is that of what was sent. */
  pushBlobStream(stream: Readable, options: StreamBlobOptions = {}): Promise<PushedBlob> {
    return pushBlobStream(this, stream, options);
  }

  /**
   * Pushes a manifest under a tag (or its digest). A manifest with a subject is also recorded in
   * the subject's fallback referrers tag when the registry did not index it itself.
   */
  async pushManifest(bytes: Buffer, mediaType: string, reference: string, options: Signal = {}): Promise<Descriptor> {
    const pushed = await this.pushManifestUnrecorded(bytes, mediaType, reference, options);
    if (pushed.unrecorded) await this.recordReferrers(pushed.unrecorded.subject, [pushed.unrecorded.entry], options);
    return pushed.descriptor;
  }

  /**
   * Pushes a manifest and leaves its fallback-index entry (when it has a subject the registry did
   * not index) to the caller, so many referrers of one subject are recorded with one
   * recordReferrers: one index rewrite instead of one per referrer, which grows as n².
   */
  async pushManifestUnrecorded(
    bytes: Buffer,
    mediaType: string,
    reference: string,
    options: Signal = {},
  ): Promise<{ descriptor: Descriptor; unrecorded?: { subject: string; entry: Descriptor } }> {
    if (!isDigest(reference)) validateTag(reference);
    const manifest = parseManifest(bytes, 'manifest to push');
    const pushed = await pushManifest(this, bytes, mediaType, reference, options);
    if (!manifest.subject || pushed.subjectIndexed) return { descriptor: pushed.descriptor };
    return {
      descriptor: pushed.descriptor,
      unrecorded: { subject: manifest.subject.digest, entry: referrerDescriptor(manifest, pushed.descriptor) },
    };
  }

  /** Adds referrers of `subject` to its fallback index in one rewrite (see pushManifestUnrecorded). */
  recordReferrers(subject: string, entries: Descriptor[], options: Signal = {}): Promise<void> {
    validateDigest(subject);
    return addToFallbackIndex(this, subject, entries, options.signal);
  }

  /** Points `tag` at the manifest `digest` by re-putting its exact bytes. */
  async tag(digest: string, tag: string, options: Signal = {}): Promise<Descriptor> {
    validateDigest(digest);
    validateTag(tag);
    const { bytes, descriptor } = await fetchManifest(this, digest, options);
    return (await pushManifest(this, bytes, descriptor.mediaType, tag, options)).descriptor;
  }

  /**
   * Deletes a manifest by digest: every tag pointing at it goes too. A deleted referrer is also
   * taken out of its subject's fallback index, so listings do not show what no longer exists.
   */
  async deleteManifest(digest: string, options: Signal = {}): Promise<void> {
    validateDigest(digest);
    const { manifest } = await fetchManifest(this, digest, options);
    await this.delete(digest, options);
    if (manifest.subject && this.referrersState.get(this.registry) !== 'api') {
      await removeFromFallbackIndex(this, manifest.subject.digest, digest, options.signal);
    }
  }

  /**
   * Deletes only a tag. Registries that cannot (Distribution 2.x) refuse rather than delete the
   * manifest behind it, since that would remove every other tag of the same digest too.
   */
  async deleteTag(tag: string, options: Signal = {}): Promise<void> {
    validateTag(tag);
    try {
      await this.delete(tag, options);
    } catch (error) {
      if (error instanceof OciError && ['UNSUPPORTED', 'DIGEST_INVALID', 'MANIFEST_UNKNOWN'].includes(error.code) && error.status !== 404) {
        throw new OciError('UNSUPPORTED', `${this.registry} cannot delete the tag ${tag} alone`, {
          status: error.status,
          registry: this.registry,
          repository: this.repository,
          hint: 'Delete the manifest by digest instead (this removes every tag that points at it)',
        });
      }
      throw error;
    }
  }

  async referrers(subject: string, options: ReferrersOptions = {}): Promise<Descriptor[]> {
    return (await listReferrers(this, this.referrersState, subject, options)).referrers;
  }

  /** The referrers of `subject`, and whether the referrers API or the fallback tag listed them. */
  referrersListing(subject: string, options: ReferrersOptions = {}): Promise<ReferrersListing> {
    return listReferrers(this, this.referrersState, subject, options);
  }

  /** The platform manifests of an index, or the manifest itself. */
  async children(reference: string, options: Signal = {}): Promise<Descriptor[]> {
    const { manifest } = await fetchManifest(this, reference, options);
    return isIndex(manifest) ? manifest.manifests : [];
  }

  /**
   * What follows "manifests/" in the URL: a typed reference gives its digest, else its tag, else
   * "latest"; it must name this repository, or the request would go to another one's manifest.
   */
  private manifestTarget(target: Reference | string): string {
    if (typeof target === 'string') return target;
    if (target.registry !== this.registry || target.repository !== this.repository) {
      throw new OciError(
        'INVALID_REFERENCE',
        `${formatReference(target)} is not in ${formatReference({ registry: this.registry, repository: this.repository })}; ask that repository for it`,
      );
    }
    return referenceTarget(target);
  }

  private async delete(reference: string, options: Signal): Promise<void> {
    const response = await this.transport.request({
      registry: this.registry,
      method: 'DELETE',
      target: `/v2/${this.repository}/manifests/${reference}`,
      idempotent: true,
      scopes: [repositoryScope(this.repository, 'delete')],
      signal: options.signal,
      accept: [405],
      site: { registry: this.registry, repository: this.repository, action: `delete ${reference}` },
    });
    await response.body.dump();
    if (response.status === 405) {
      throw new OciError('UNSUPPORTED', `${this.registry} does not allow deleting manifests (HTTP 405)`, {
        status: 405,
        registry: this.registry,
        repository: this.repository,
        hint: 'Deletion is disabled on this registry; ask its operator to enable it',
      });
    }
  }
}
