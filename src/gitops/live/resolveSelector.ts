import type { RepositoryApi } from '../../oci';
import { resolveSemver, type SemverOptions } from '../semver';
import type { LiveTarget, Selector } from '../contract/liveTarget';

/** What a selector names right now: a tag (for tags and constraints) and the reference to fetch. */
export interface SelectedReference {
  tag?: string;
  reference: string;
}

/** Raised when no tag satisfies a constraint; the message lists what was there. */
export class NoMatchingTag extends Error {}

/** Whose reading of a constraint applies to a live target: Flux's OCIRepository or Argo CD's (Helm-OCI or OCI). */
export function semverOptionsFor(target: Pick<LiveTarget, 'controller' | 'helmChart' | 'selector'>): SemverOptions {
  if (target.controller === 'argo-cd') return { controller: 'argo', helmTags: target.helmChart ?? false };
  // A HelmRelease chart from an OCI HelmRepository: Helm's tag reading, not an OCIRepository's.
  if (target.helmChart) return { controller: 'flux-helm' };
  const filter = target.selector.type === 'semver' ? target.selector.filter : undefined;
  return { controller: 'flux-oci', ...(filter ? { filter } : {}) };
}

/**
 * Picks the artifact a selector means today, as the controllers do: a digest is itself; a tag is
 * itself; a semver constraint takes what the controller's own resolution takes (see gitops/semver/resolve.ts:
 * Masterminds constraints, each controller's tag parsing, `semverFilter`, Helm's `_` for `+`).
 */
export async function selectReference(
  repo: RepositoryApi,
  selector: Selector,
  options: SemverOptions,
  signal?: AbortSignal,
): Promise<SelectedReference> {
  if (selector.type === 'digest') return { reference: selector.value };
  if (selector.type === 'tag') return { tag: selector.value, reference: selector.value };
  const tags: string[] = [];
  for await (const tag of repo.tags({ signal })) tags.push(tag);
  const resolution = resolveSemver(tags, selector.value, options);
  if (resolution.error) throw new NoMatchingTag(`No tag satisfies "${selector.value}": ${resolution.error}`);
  if (!resolution.winner) {
    const versions = resolveSemver(tags, '*', options).matches;
    const filtered = options.filter ? ` matching semverFilter ${options.filter}` : '';
    const listed =
      versions.length === 0
        ? `none of its ${tags.length} tags is a release version${filtered}`
        : `its release versions are ${versions
            .slice(0, 8)
            .map((m) => m.tag)
            .join(', ')}${versions.length > 8 ? ', …' : ''}`;
    throw new NoMatchingTag(`No tag satisfies "${selector.value}": ${listed}`);
  }
  return { tag: resolution.winner, reference: resolution.winner };
}
