import type { Descriptor, ImageManifest, Manifest } from '../../oci';

/**
 * One kind of artifact the explorer, the panel and `inspect` recognise. Each kind is one module
 * in this folder, listed once in `index.ts`; nothing else names a kind's media types.
 */
export interface ArtifactKind {
  /** Stable identifier, printed by `inspect --json` and used in settings and tests. */
  readonly id: string;
  /** Short human label: "Helm chart", "Tekton bundle". */
  readonly label: string;
  /** Codicon name the explorer shows for it. */
  readonly icon: string;
  /** Set for signatures, SBOMs and attestations: shown under their subject, not as artifacts of their own. */
  readonly accessory?: AccessoryCategory;
  /** Decides from the manifest alone, no blob read. Kinds are tried in the table's order; the first that matches wins. */
  matches(types: ManifestTypes, manifest: Manifest): boolean;
  /**
   * The facts a user looks for (name, version, what it holds). Reads only small blobs (a config,
   * a metadata layer) through `read`, which enforces the byte limit and checks the digest;
   * never a large layer: models and providers are described by their manifests.
   */
  facts?(manifest: Manifest, read: SmallBlobReader): Promise<KindFacts>;
  /** One line for the tree's description, from the facts: "podinfo 6.5.0 (app 6.5.0)". */
  headline?(facts: KindFacts): string | undefined;
  /**
   * Where the kind's files are, when the generic rule (ORAS titled layers, else the one tarball)
   * would get it wrong: e.g. one file per layer named by an annotation.
   */
  files?(manifest: ImageManifest): FileLayer[];
}

export type AccessoryCategory = 'signature' | 'sbom' | 'attestation';

/** The media types a manifest carries, precomputed once for every kind's `matches`. */
export interface ManifestTypes {
  index: boolean;
  artifactType?: string;
  /** The config's media type; undefined for an index. */
  config?: string;
  layers: string[];
  /** artifactType, else a config type that is not the empty one: how OCI 1.1 says what an artifact is. */
  type?: string;
  /** Every type above, deduplicated, in that order: what "unknown" lists. */
  all: string[];
}

/** JSON-friendly facts, shown as a list in the panel and printed by `inspect --json` as "summary". */
export type KindFacts = Record<string, string | number | boolean | string[] | FactList | undefined>;
export type FactList = Record<string, string | number | boolean | undefined>[];

/** Reads a blob of at most `maxBytes`, verified against its digest; throws when it is larger. */
export type SmallBlobReader = (descriptor: Descriptor, maxBytes: number) => Promise<Buffer>;

/**
 * A layer that holds files: a tarball (or zip) unpacked under `prefix`, or one file named `path`: the layer
 * itself, or the single file of a tarball (`packed`), as Tekton bundles and ModelPack `.tar` layers
 * hold one file each. A one-file layer is listed from the manifest alone and read only when opened.
 */
export type FileLayer =
  | { layer: Descriptor; as: 'tar' | 'tar+gzip' | 'zip'; prefix?: string }
  | { layer: Descriptor; as: 'file'; path: string; packed?: 'tar' | 'tar+gzip'; size?: number };

export const TITLE = 'org.opencontainers.image.title';
