import type { Reference } from '../../oci';
import type { LiveTarget } from '../contract/liveTarget';
import { semverOptionsFor } from '../live/resolveSelector';
import { resolveSemver } from '../semver';
import type { Pick as ConsumerPick } from './contract';

/**
 * Whether a consumer pulls the candidate once its tag exists, reading its selector as its
 * controller does. `tags` are the repository's tags today; the candidate's own tag is taken out for
 * "before" and put in for "after", so the answer is the same whether the candidate is about to be
 * pushed or was just pushed.
 *
 * - digest (Flux `ref.digest`, Argo CD `targetRevision: sha256:…`, an image `@sha256:`): pinned,
 *   whatever is pushed;
 * - tag (and `latest`, what Flux pulls with no ref): picks when the candidate carries that tag;
 * - semver: the controller's own resolution (gitops/semver: Flux OCIRepository with semverFilter,
 *   Helm chart versions, Argo CD's constraint reading) before and after; picks when the candidate
 *   becomes the winner.
 */
export function pickOf(
  target: Pick<LiveTarget, 'selector' | 'controller' | 'helmChart'>,
  candidate: Reference,
  tags: readonly string[],
): ConsumerPick {
  const selector = target.selector;
  if (selector.type === 'digest') return { outcome: 'pinned', pinned: selector.value };
  const tag = candidate.tag;
  if (selector.type === 'tag') {
    if (tag === selector.value) return { outcome: 'picks', after: tag };
    return {
      outcome: 'not-picked',
      current: selector.value,
      reason: tag ? `it follows the tag ${selector.value}, not ${tag}` : `it follows the tag ${selector.value}; the candidate has no tag`,
    };
  }
  const options = semverOptionsFor(target);
  const others = tags.filter((t) => t !== tag);
  const before = resolveSemver(others, selector.value, options);
  if (!tag) {
    return {
      outcome: 'not-picked',
      ...(before.winner ? { current: before.winner } : {}),
      reason: `it follows the constraint ${selector.value}; the candidate has no tag to match it`,
    };
  }
  const after = resolveSemver([...others, tag], selector.value, options);
  if (after.error) return { outcome: 'not-picked', reason: `the controller rejects the constraint: ${after.error}` };
  if (after.winner === tag) return { outcome: 'picks', ...(before.winner ? { before: before.winner } : {}), after: tag };
  const filter = selector.type === 'semver' && selector.filter ? ` with semverFilter ${selector.filter}` : '';
  const matched = after.matches.some((m) => m.tag === tag);
  return {
    outcome: 'not-picked',
    ...(before.winner ? { current: before.winner } : {}),
    reason: matched
      ? `${tag} satisfies ${selector.value} but ${after.winner} is higher`
      : `${tag} does not satisfy ${selector.value}${filter} as ${controllerName(options.controller)} reads it`,
  };
}

function controllerName(controller: 'flux-oci' | 'flux-helm' | 'argo'): string {
  return controller === 'argo' ? 'Argo CD' : controller === 'flux-helm' ? "Flux's Helm chart lookup" : 'Flux';
}
