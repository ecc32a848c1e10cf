import { isMap, type YAMLMap } from 'yaml';
import {
  type ChartValuesAt,
  type CompletionSite,
  fieldOf,
  type KeyAt,
  samePath,
  type SemverSite,
  type ValueAt,
} from '../../contract/completionSite';
import { writtenScalar } from '../../completion/written';
import { nodeAt, rangeOf, scalarString } from '../../documents';
import type { Selector } from '../../contract/liveTarget';
import { isSemverConstraint, ociChartRepository, splitOciUrl } from '../../rules/grammar';

/** The registry repository of a chart.spec whose HelmRepository (in the same file) is an OCI one: `<url path>/<chart>`. */
function ociChartRepositoryInFile(root: YAMLMap, file: readonly YAMLMap[]): { host: string; repository: string } | undefined {
  if (scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'sourceRef', 'kind')) !== 'HelmRepository') return undefined;
  const name = scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'sourceRef', 'name'));
  const namespace =
    scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'sourceRef', 'namespace')) ??
    scalarString(nodeAt(root, 'metadata', 'namespace')) ??
    'default';
  const repository = file.find(
    (doc) =>
      scalarString(doc.get('kind', true)) === 'HelmRepository' &&
      scalarString(nodeAt(doc, 'metadata', 'name')) === name &&
      (scalarString(nodeAt(doc, 'metadata', 'namespace')) ?? 'default') === namespace,
  );
  const chart = scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'chart'));
  return repository && chart && scalarString(nodeAt(repository, 'spec', 'type')) === 'oci'
    ? ociChartRepository(scalarString(nodeAt(repository, 'spec', 'url')) ?? '', chart)
    : undefined;
}

/** chart.spec.version from an OCI HelmRepository: the chart's versions, as Helm reads its tags. */
export function helmReleaseCompletionSite(root: YAMLMap, at: ValueAt, file: readonly YAMLMap[]): CompletionSite | undefined {
  if (!samePath(at.path, 'spec', 'chart', 'spec', 'version')) return undefined;
  const repo = ociChartRepositoryInFile(root, file);
  if (!repo) return undefined;
  return { kind: 'version', repo, controller: 'flux-helm', helm: true, typed: at.typed, start: at.start, end: at.end, field: fieldOf(at) };
}

/** A chart.spec.version range from an OCI HelmRepository, resolved as source-controller does. */
export function helmReleaseSemverSites(root: YAMLMap, file: readonly YAMLMap[]): SemverSite[] {
  const node = nodeAt(root, 'spec', 'chart', 'spec', 'version');
  const constraint = writtenScalar(node);
  const range = rangeOf(node);
  const repo = ociChartRepositoryInFile(root, file);
  if (constraint === undefined || !range || !repo || !(constraint === '*' || isSemverConstraint(constraint))) return [];
  return [{ constraint, repo, options: { controller: 'flux-helm' }, start: range[0], end: range[1], field: 'spec.chart.spec.version' }];
}

/** The OCIRepository or OCI HelmRepository a HelmRelease's chart comes from, among the file's documents. */
export function helmReleaseChartValuesAt(root: YAMLMap, at: KeyAt, file: readonly YAMLMap[]): ChartValuesAt | undefined {
  if (at.ancestors[0] !== 'spec' || at.ancestors[1] !== 'values') return undefined;
  const valuesPath = at.ancestors.slice(2);
  const namespace = scalarString(nodeAt(root, 'metadata', 'namespace')) ?? 'default';
  const named = (kind: string, name: string | undefined, ns: string) =>
    file.find(
      (doc) =>
        isMap(doc) &&
        scalarString(doc.get('kind', true)) === kind &&
        scalarString(nodeAt(doc, 'metadata', 'name')) === name &&
        (scalarString(nodeAt(doc, 'metadata', 'namespace')) ?? 'default') === ns,
    );
  if (scalarString(nodeAt(root, 'spec', 'chartRef', 'kind')) === 'OCIRepository') {
    const source = named(
      'OCIRepository',
      scalarString(nodeAt(root, 'spec', 'chartRef', 'name')),
      scalarString(nodeAt(root, 'spec', 'chartRef', 'namespace')) ?? namespace,
    );
    const url = source ? splitOciUrl(scalarString(nodeAt(source, 'spec', 'url')) ?? '') : undefined;
    if (!source || !url) return undefined;
    const digest = scalarString(nodeAt(source, 'spec', 'ref', 'digest'));
    const semver = writtenScalar(nodeAt(source, 'spec', 'ref', 'semver'));
    const tag = scalarString(nodeAt(source, 'spec', 'ref', 'tag'));
    const filter = scalarString(nodeAt(source, 'spec', 'ref', 'semverFilter'));
    const selector: Selector = digest
      ? { type: 'digest', value: digest }
      : semver
        ? { type: 'semver', value: semver }
        : { type: 'tag', value: tag ?? 'latest' };
    return {
      chart: {
        repo: { host: url.host, repository: url.repository },
        selector,
        options: { controller: 'flux-oci', ...(filter ? { filter } : {}) },
      },
      valuesPath,
    };
  }
  const repository = named(
    'HelmRepository',
    scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'sourceRef', 'name')),
    scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'sourceRef', 'namespace')) ?? namespace,
  );
  const chart = scalarString(nodeAt(root, 'spec', 'chart', 'spec', 'chart'));
  const repo =
    repository && chart && scalarString(nodeAt(repository, 'spec', 'type')) === 'oci'
      ? ociChartRepository(scalarString(nodeAt(repository, 'spec', 'url')) ?? '', chart)
      : undefined;
  if (!repo) return undefined;
  return {
    chart: {
      repo,
      selector: { type: 'semver', value: writtenScalar(nodeAt(root, 'spec', 'chart', 'spec', 'version')) ?? '*' },
      options: { controller: 'flux-helm' },
    },
    valuesPath,
  };
}
