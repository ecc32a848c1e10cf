import type { YAMLMap } from 'yaml';
import { type CompletionSite, fieldOf, repositoryOfUrl, samePath, type SemverSite, type ValueAt } from '../../contract/completionSite';
import { writtenScalar } from '../../completion/written';
import { nodeAt, rangeOf, scalarString } from '../../documents';
import { isSemverConstraint } from '../../rules/grammar';

/** spec.url: registries and repositories; spec.ref: the tags, Flux-readable versions or digests of spec.url. */
export function ociRepositoryCompletionSite(root: YAMLMap, at: ValueAt): CompletionSite | undefined {
  const span = { typed: at.typed, start: at.start, end: at.end, field: fieldOf(at) };
  if (samePath(at.path, 'spec', 'url')) return { kind: 'registry-or-repository', ociScheme: true, ...span };
  const repo = repositoryOfUrl(scalarString(nodeAt(root, 'spec', 'url')) ?? '');
  if (!repo) return undefined;
  if (samePath(at.path, 'spec', 'ref', 'tag')) return { kind: 'tag', repo, helm: false, ...span };
  if (samePath(at.path, 'spec', 'ref', 'digest')) return { kind: 'digest', repo, ...span };
  if (!samePath(at.path, 'spec', 'ref', 'semver')) return undefined;
  const filter = scalarString(nodeAt(root, 'spec', 'ref', 'semverFilter'));
  return { kind: 'version', repo, controller: 'flux-oci', helm: false, ...(filter ? { filter } : {}), ...span };
}

/** spec.ref.semver, resolved as source-controller does (with spec.ref.semverFilter). */
export function ociRepositorySemverSites(root: YAMLMap): SemverSite[] {
  const node = nodeAt(root, 'spec', 'ref', 'semver');
  const constraint = writtenScalar(node);
  const repo = repositoryOfUrl(scalarString(nodeAt(root, 'spec', 'url')) ?? '');
  const range = rangeOf(node);
  if (constraint === undefined || !repo || !range || !isSemverConstraint(constraint)) return [];
  const filter = scalarString(nodeAt(root, 'spec', 'ref', 'semverFilter'));
  return [
    {
      constraint,
      repo,
      options: { controller: 'flux-oci', ...(filter ? { filter } : {}) },
      start: range[0],
      end: range[1],
      field: 'spec.ref.semver',
    },
  ];
}
