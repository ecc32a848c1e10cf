import { isMap, isScalar, isSeq } from 'yaml';
import { nodeAt, parseManifests, rangeOf, scalarString } from '../documents';
import { isArgoSemverConstraint, isSemverConstraint } from '../rules/grammar';
import type { SemverOptions } from '../semver';
import type { RepositoryRef } from './site';

/** A semver constraint in a manifest, with whose reading applies and the repository it ranges over. */
export interface SemverSite {
  constraint: string;
  repo: RepositoryRef;
  options: SemverOptions;
  start: number;
  end: number;
  /** The field, for messages (spec.ref.semver, spec.sources[1].targetRevision). */
  field: string;
}

/** A scalar's text as written: YAML reads `1.10` as the number 1.1, a constraint never. */
function written(node: unknown): string | undefined {
  if (isScalar(node) && typeof node.source === 'string' && node.source !== '') return node.source;
  return scalarString(node);
}

function repositoryOf(url: string): RepositoryRef | undefined {
  const match = /^(?:oci:\/\/)?([^/]+)\/(.+?)\/*$/.exec(url);
  return match ? { host: match[1], repository: match[2].replace(/[:@].*$/, '') } : undefined;
}

/** Every semver constraint of a file that a controller resolves against a registry. */
export function semverSites(text: string): SemverSite[] {
  const sites: SemverSite[] = [];
  for (const { doc, apiVersion = '', kind } of parseManifests(text).documents) {
    const root = doc.contents;
    if (!isMap(root)) continue;
    if (kind === 'OCIRepository' && apiVersion.startsWith('source.toolkit.fluxcd.io/')) {
      const node = nodeAt(root, 'spec', 'ref', 'semver');
      const constraint = written(node);
      const repo = repositoryOf(scalarString(nodeAt(root, 'spec', 'url')) ?? '');
      const range = rangeOf(node);
      if (constraint === undefined || !repo || !range || !isSemverConstraint(constraint)) continue;
      const filter = scalarString(nodeAt(root, 'spec', 'ref', 'semverFilter'));
      sites.push({
        constraint,
        repo,
        options: { controller: 'flux-oci', ...(filter ? { filter } : {}) },
        start: range[0],
        end: range[1],
        field: 'spec.ref.semver',
      });
      continue;
    }
    if (kind === 'Application' && apiVersion.startsWith('argoproj.io/')) {
      const sources: [unknown, string][] = [[nodeAt(root, 'spec', 'source'), 'spec.source']];
      const many = nodeAt(root, 'spec', 'sources');
      if (isSeq(many)) many.items.forEach((item, i) => sources.push([item, `spec.sources[${i}]`]));
      for (const [source, path] of sources) {
        if (!isMap(source)) continue;
        const node = source.get('targetRevision', true);
        const constraint = written(node);
        const range = rangeOf(node);
        const repoURL = scalarString(source.get('repoURL', true)) ?? '';
        const chart = scalarString(source.get('chart', true));
        if (constraint === undefined || !range || !isArgoSemverConstraint(constraint)) continue;
        const repo = chart
          ? repositoryOf(`${repoURL.replace(/^oci:\/\//, '')}/${chart}`)
          : repoURL.startsWith('oci://')
            ? repositoryOf(repoURL)
            : undefined;
        if (!repo) continue;
        sites.push({
          constraint,
          repo,
          options: { controller: 'argo', helmTags: chart !== undefined },
          start: range[0],
          end: range[1],
          field: `${path}.targetRevision`,
        });
      }
    }
  }
  return sites;
}
