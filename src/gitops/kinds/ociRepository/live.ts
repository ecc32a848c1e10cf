import { isMap, isSeq, type YAMLMap } from 'yaml';
import { nodeAt, pairOf, rangeOf, scalarString } from '../../documents';
import { type LiveTarget, objectName, type Selector } from '../../contract/liveTarget';
import { DIGEST, REPOSITORY, splitOciUrl } from '../../rules/grammar';
import { DOCS } from './schema';

/** What the ref selects, in source-controller's precedence: digest, then semver, then tag, else latest. */
export function liveTarget(root: YAMLMap): LiveTarget | undefined {
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
    object: objectName(root),
    controller: 'flux',
    docs: DOCS,
    host: parts.host,
    repository: parts.repository,
    selector,
    range: valueRange ?? urlRange,
    urlRange,
    ...(selector.type !== 'digest' && keyRange && valueRange
      ? { pin: { start: keyRange[0], end: valueRange[1], key: at, value: selector.value, digestKey: 'digest' } }
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
