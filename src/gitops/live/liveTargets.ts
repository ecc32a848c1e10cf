import { isMap, isScalar, isSeq, type Document } from 'yaml';
import { nodeAt, pairOf, rangeOf, scalarString } from '../documents';
import { DIGEST, isSemverConstraint, REPOSITORY, splitOciUrl, TAG } from '../rules/grammar';

/** How a manifest selects its artifact, in the controller's precedence. */
export type Selector =
  { type: 'digest'; value: string } | { type: 'semver'; value: string; filter?: string } | { type: 'tag'; value: string };

/** A reference to a registry artifact that a manifest makes, with the places to point at. */
export interface LiveTarget {
  kind: 'OCIRepository' | 'Application' | 'FluxInstance';
  /** `namespace/name` of the object, for messages. */
  object: string;
  host: string;
  repository: string;
  selector: Selector;
  /** Where a CodeLens and findings about the artifact go: the ref value, else the url. */
  range: [number, number];
  /** The repository url's value, for findings about the repository. */
  urlRange: [number, number];
  /** The `key: value` pair that holds a tag or constraint, which "pin to digest" replaces. */
  pin?: { start: number; end: number; key: string; value: string };
  /** Flux `spec.verify`. */
  verify?: { provider: string; secretName?: string; trustedRootSecretName?: string; identities: { issuer?: string; subject?: string }[] };
  /** Flux `spec.layerSelector.mediaType`. */
  layerMediaType?: string;
  /** Argo CD source with `chart` (a Helm chart rather than plain manifests). */
  helmChart?: boolean;
}

/**
 * The registry references in one parsed document (offsets into its text). Only what passes the
 * offline rules' grammar becomes a target: a malformed url is already an error, and asking the
 * registry about it would only add noise. A partial object (`whole` false, a kustomize patch) is
 * asked about only when it names both the repository and what to take from it.
 */
export function liveTargetsOf(doc: Document.Parsed, whole = true): LiveTarget[] {
  const contents = doc.contents;
  if (doc.errors.length > 0 || !isMap(contents)) return [];
  const apiVersion = scalarString(contents.get('apiVersion', true));
  const kind = scalarString(contents.get('kind', true));
  const object = `${scalarString(nodeAt(contents, 'metadata', 'namespace')) ?? 'default'}/${scalarString(nodeAt(contents, 'metadata', 'name')) ?? ''}`;
  if (kind === 'OCIRepository' && apiVersion?.startsWith('source.toolkit.fluxcd.io/')) {
    const target = whole || nodeAt(contents, 'spec', 'ref') !== undefined ? fluxTarget(contents, object) : undefined;
    return target ? [target] : [];
  }
  if (
    kind === 'FluxInstance' &&
    apiVersion?.startsWith('fluxcd.controlplane.io/') &&
    scalarString(nodeAt(contents, 'spec', 'sync', 'kind')) === 'OCIRepository'
  ) {
    const target = syncTarget(contents, object);
    return target ? [target] : [];
  }
  if (kind === 'Application' && apiVersion === 'argoproj.io/v1alpha1') {
    const sources = nodeAt(contents, 'spec', 'sources');
    const paths: (string | number)[][] = isSeq(sources) ? sources.items.map((_, i) => ['spec', 'sources', i]) : [['spec', 'source']];
    return paths.flatMap((path) => {
      const target = argoTarget(contents, path, object);
      return target ? [target] : [];
    });
  }
  return [];
}

function fluxTarget(root: unknown, object: string): LiveTarget | undefined {
  const urlNode = nodeAt(root, 'spec', 'url');
  const parts = splitOciUrl(scalarString(urlNode) ?? '');
  const urlRange = rangeOf(urlNode);
  if (!parts || parts.tag || parts.digest || !REPOSITORY.test(parts.repository) || !urlRange) return undefined;
  const ref = nodeAt(root, 'spec', 'ref');
  const digest = scalarString(nodeAt(ref, 'digest'));
  const semver = scalarString(nodeAt(ref, 'semver'));
  const tag = scalarString(nodeAt(ref, 'tag'));
  let selector: Selector;
  let at: string;
  if (digest !== undefined) {
    if (!DIGEST.test(digest)) return undefined;
    selector = { type: 'digest', value: digest };
    at = 'digest';
  } else if (semver !== undefined) {
    const filter = scalarString(nodeAt(ref, 'semverFilter'));
    selector = { type: 'semver', value: semver, ...(filter ? { filter } : {}) };
    at = 'semver';
  } else {
    // No ref means the mutable `latest` tag (the offline rules warn about it).
    selector = { type: 'tag', value: tag ?? 'latest' };
    at = tag !== undefined ? 'tag' : '';
  }
  const pair = at ? pairOf(ref, at) : undefined;
  const valueRange = rangeOf(pair?.value);
  const keyRange = rangeOf(pair?.key);
  const verify = nodeAt(root, 'spec', 'verify');
  const identities = nodeAt(verify, 'matchOIDCIdentity');
  return {
    kind: 'OCIRepository',
    object,
    host: parts.host,
    repository: parts.repository,
    selector,
    range: valueRange ?? urlRange,
    urlRange,
    ...(selector.type !== 'digest' && keyRange && valueRange
      ? { pin: { start: keyRange[0], end: valueRange[1], key: at, value: selector.value } }
      : {}),
    ...(isMap(verify)
      ? {
          verify: {
            provider: scalarString(nodeAt(verify, 'provider')) ?? 'cosign',
            secretName: scalarString(nodeAt(verify, 'secretRef', 'name')),
            trustedRootSecretName: scalarString(nodeAt(verify, 'trustedRootSecretRef', 'name')),
            identities: isSeq(identities)
              ? identities.items.map((item) => ({
                  issuer: scalarString(nodeAt(item, 'issuer')),
                  subject: scalarString(nodeAt(item, 'subject')),
                }))
              : [],
          },
        }
      : {}),
    ...(scalarString(nodeAt(root, 'spec', 'layerSelector', 'mediaType'))
      ? { layerMediaType: scalarString(nodeAt(root, 'spec', 'layerSelector', 'mediaType')) }
      : {}),
  };
}

/** A FluxInstance's OCI sync: the operator makes it an OCIRepository that follows the tag in `ref`. */
function syncTarget(root: unknown, object: string): LiveTarget | undefined {
  const urlNode = nodeAt(root, 'spec', 'sync', 'url');
  const parts = splitOciUrl(scalarString(urlNode) ?? '');
  const urlRange = rangeOf(urlNode);
  const refNode = nodeAt(root, 'spec', 'sync', 'ref');
  const tag = scalarString(refNode);
  if (!parts || parts.tag || parts.digest || !REPOSITORY.test(parts.repository) || !urlRange || tag === undefined || !TAG.test(tag))
    return undefined;
  // No pin: the sync follows a tag and has no field for a digest.
  return {
    kind: 'FluxInstance',
    object,
    host: parts.host,
    repository: parts.repository,
    selector: { type: 'tag', value: tag },
    range: rangeOf(refNode) ?? urlRange,
    urlRange,
  };
}

function argoTarget(root: unknown, path: (string | number)[], object: string): LiveTarget | undefined {
  const source = nodeAt(root, ...path);
  if (!isMap(source)) return undefined;
  const urlNode = nodeAt(source, 'repoURL');
  const parts = splitOciUrl(scalarString(urlNode) ?? '');
  const urlRange = rangeOf(urlNode);
  if (!parts || parts.tag || parts.digest || !REPOSITORY.test(parts.repository) || !urlRange) return undefined;
  const pair = pairOf(source, 'targetRevision');
  const revision = isScalar(pair?.value) ? scalarString(pair.value) : undefined;
  if (revision === undefined || revision === '') return undefined;
  // Argo CD resolves a tag or digest first and reads a constraint only when it is not a version.
  const selector: Selector = DIGEST.test(revision)
    ? { type: 'digest', value: revision }
    : isSemverConstraint(revision)
      ? { type: 'semver', value: revision }
      : { type: 'tag', value: revision };
  const keyRange = rangeOf(pair?.key)!;
  const valueRange = rangeOf(pair?.value)!;
  return {
    kind: 'Application',
    object,
    host: parts.host,
    repository: parts.repository,
    selector,
    range: valueRange,
    urlRange,
    ...(selector.type !== 'digest' ? { pin: { start: keyRange[0], end: valueRange[1], key: 'targetRevision', value: revision } } : {}),
    ...(scalarString(nodeAt(source, 'chart')) !== undefined ? { helmChart: true } : {}),
  };
}
