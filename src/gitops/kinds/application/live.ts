import { isMap, isScalar, type YAMLMap } from 'yaml';
import { nodeAt, pairOf, rangeOf, scalarString } from '../../documents';
import { type LiveTarget, objectName, type Selector } from '../../contract/liveTarget';
import { DIGEST, isArgoSemverConstraint, REPOSITORY, splitOciUrl, TAG } from '../../rules/grammar';
import { DOCS, HELM_DOCS } from './docs';
import { helmOciRepository, isArgoVersion } from './helmOci';

/** A Helm-OCI source (repoURL `registry/path` + chart) and the chart version it selects. */
function helmOciLiveTarget(root: YAMLMap, source: YAMLMap, urlRange: [number, number]): LiveTarget | undefined {
  const repo = helmOciRepository(scalarString(nodeAt(source, 'repoURL')) ?? '');
  const chart = scalarString(nodeAt(source, 'chart'));
  const pair = pairOf(source, 'targetRevision');
  const valueNode = pair?.value;
  const revision = isScalar(valueNode) && typeof valueNode.source === 'string' ? valueNode.source : scalarString(valueNode);
  if (!repo || !chart || /[:@]/.test(chart) || revision === undefined || revision === '') return undefined;
  const repository = `${repo.path}/${chart}`;
  if (!REPOSITORY.test(repository)) return undefined;
  // A version is fetched as the tag Helm pushed it under (`+` spelled `_`); anything else is a range.
  const selector: Selector = isArgoVersion(revision)
    ? { type: 'tag', value: revision.replace(/\+/g, '_') }
    : isArgoSemverConstraint(revision) || revision === '*'
      ? { type: 'semver', value: revision }
      : { type: 'tag', value: revision };
  if (selector.type === 'tag' && !TAG.test(selector.value)) return undefined;
  // No "pin to digest": a Helm chart source is fetched by version, not by manifest digest.
  const valueRange = rangeOf(pair?.value)!;
  return {
    kind: 'Application',
    object: objectName(root),
    controller: 'argo-cd',
    docs: HELM_DOCS,
    host: repo.host,
    repository,
    selector,
    range: valueRange,
    urlRange,
    helmChart: true,
  };
}

/** An oci:// source and what its targetRevision selects. */
export function liveTarget(root: YAMLMap, path: (string | number)[]): LiveTarget | undefined {
  const source = nodeAt(root, ...path);
  if (!isMap(source)) return undefined;
  const urlNode = nodeAt(source, 'repoURL');
  const parts = splitOciUrl(scalarString(urlNode) ?? '');
  const urlRange = rangeOf(urlNode);
  if (!parts && urlRange) return helmOciLiveTarget(root, source, urlRange);
  if (!parts || parts.tag || parts.digest || !REPOSITORY.test(parts.repository) || !urlRange) return undefined;
  const pair = pairOf(source, 'targetRevision');
  const revision = isScalar(pair?.value) ? scalarString(pair.value) : undefined;
  if (revision === undefined || revision === '') return undefined;
  // Argo CD resolves a tag or digest first and reads a constraint only when it is not a version.
  const selector: Selector = DIGEST.test(revision)
    ? { type: 'digest', value: revision }
    : isArgoSemverConstraint(revision)
      ? { type: 'semver', value: revision }
      : { type: 'tag', value: revision };
  const keyRange = rangeOf(pair?.key)!;
  const valueRange = rangeOf(pair?.value)!;
  return {
    kind: 'Application',
    object: objectName(root),
    controller: 'argo-cd',
    docs: DOCS,
    host: parts.host,
    repository: parts.repository,
    selector,
    range: valueRange,
    urlRange,
    ...(selector.type !== 'digest'
      ? { pin: { start: keyRange[0], end: valueRange[1], key: 'targetRevision', value: revision, digestKey: 'targetRevision' } }
      : {}),
    ...(scalarString(nodeAt(source, 'chart')) !== undefined ? { helmChart: true } : {}),
  };
}
