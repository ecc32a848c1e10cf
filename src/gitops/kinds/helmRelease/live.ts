import type { YAMLMap } from 'yaml';
import { writtenScalar } from '../../completion/written';
import { nodeAt, rangeOf, scalarString } from '../../documents';
import { type LiveTarget, objectName, type Selector } from '../../contract/liveTarget';
import { isSemverConstraint, ociChartRepository } from '../../rules/grammar';
import { parseStrictVersion } from '../../semver';
import { type SourceIndex, sourceKey } from '../../sources';
import { DOCS } from './schema';

/** The `oci://registry/path` of the OCI HelmRepository a chart.spec names, when the sources know it as one. */
export function ociHelmRepositoryOf(root: YAMLMap, sources: SourceIndex | undefined): string | undefined {
  if (scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'sourceRef', 'kind')) !== 'HelmRepository') return undefined;
  const name = scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'sourceRef', 'name'));
  if (!name) return undefined;
  const namespace =
    scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'sourceRef', 'namespace')) ??
    scalarString(nodeAt(root, 'metadata', 'namespace')) ??
    'default';
  return sources?.get(sourceKey('HelmRepository', namespace, name))?.ociHelmRepository;
}

/**
 * chart.spec from an OCI HelmRepository: source-controller pulls `<url>/<chart>` and picks the
 * version as Helm does (gitops/semver: flux-helm); `version` left out means the latest stable one.
 */
export function ociChartTarget(root: YAMLMap, sources: SourceIndex): LiveTarget | undefined {
  const url = ociHelmRepositoryOf(root, sources);
  const chart = scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'chart'));
  const parts = url && chart ? ociChartRepository(url, chart) : undefined;
  if (!parts) return undefined;
  const versionNode = nodeAt(root, 'spec', 'chart', 'spec', 'version');
  const version = writtenScalar(versionNode) ?? '*';
  if (!isChartVersionOrRange(version)) return undefined;
  const chartNode = nodeAt(root, 'spec', 'chart', 'spec', 'chart');
  const selector: Selector = { type: 'semver', value: version };
  return {
    kind: 'HelmRelease',
    object: objectName(root),
    controller: 'flux',
    docs: DOCS,
    host: parts.host,
    repository: parts.repository,
    selector,
    range: rangeOf(versionNode) ?? rangeOf(chartNode)!,
    urlRange: rangeOf(chartNode)!,
    helmChart: true,
  };
}

/** What chart.spec.version may be for an OCI chart: a strict version, `*`, or a Masterminds constraint. */
export function isChartVersionOrRange(version: string): boolean {
  if (version === '' || version === '*' || isSemverConstraint(version)) return true;
  try {
    parseStrictVersion(version);
    return true;
  } catch {
    return false;
  }
}
