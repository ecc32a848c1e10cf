export { OciClient, type OciClientOptions } from './client';
export { OciError, isOciError, type OciErrorCode } from './errors';
export type { Logger } from './logger';
export { silentLogger } from './logger';
export {
  parseReference,
  formatReference,
  formatRepository,
  referenceTarget,
  isDigest,
  pinned,
  tagged,
  at,
  validateDigest,
  validateTag,
  validateRepository,
  type Reference,
  type PinnedReference,
  type TaggedReference,
} from './reference/reference';
export { parseRegistryHost, isLoopbackHost, DOCKER_HUB_HOST } from './reference/host';
export { ChainedCredentials, StaticCredentials, sameCredential, type Credential, type CredentialProvider } from './auth/credentials';
export { DockerConfigCredentials, dockerConfigPath } from './auth/dockerConfig';
export type { RegistrySettings } from './transport/dispatchers';
export { RegistryApi } from './registry/registryApi';
export { RepositoryApi } from './registry/repositoryApi';
export type { Page, PageOptions } from './registry/paging';
export type { FetchedManifest } from './registry/manifests';
export type { ReferrersListing, ReferrersSource } from './registry/referrers';
export {
  bufferSource,
  fileSource,
  type BlobSource,
  type PushedBlob,
  type PushBlobOptions,
  type StreamBlobOptions,
} from './registry/upload';
export type { Descriptor, ImageIndex, ImageManifest, Manifest, Platform } from './content/descriptor';
export { isIndex } from './content/descriptor';
export { MediaType, EMPTY_DESCRIPTOR, MANIFEST_MEDIA_TYPES } from './content/mediaTypes';
export { digestOf, referrersTagFor, VerifyingStream } from './content/digest';
