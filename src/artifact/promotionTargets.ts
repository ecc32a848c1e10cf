import { parseReference, validateTag } from '../oci';

/** Where "Promote…" copies a tag: a repository at another registry (or the same), and the tag it moves there. */
export interface PromotionTarget {
  name: string;
  /** registry/repository, e.g. registry.example.com/prod/apps/web */
  registry: string;
  repository: string;
  tag: string;
  /** Copy signatures, SBOMs and attestations too (default true). */
  referrers: boolean;
}

/**
 * Reads `ociGitops.promotionTargets` as written in a settings file: each entry checked on its own,
 * so one bad entry is named (which, and what to fix) without hiding the others.
 */
export function readPromotionTargets(value: unknown): { targets: PromotionTarget[]; problems: string[] } {
  const targets: PromotionTarget[] = [];
  const problems: string[] = [];
  if (value === undefined || value === null) return { targets, problems };
  if (!Array.isArray(value)) return { targets, problems: ['ociGitops.promotionTargets must be a list of {name, repository, tag}'] };
  value.forEach((entry: unknown, index) => {
    const where = `ociGitops.promotionTargets[${index}]`;
    if (!entry || typeof entry !== 'object') return void problems.push(`${where} is not an object`);
    const { name, repository, tag, referrers } = entry as Record<string, unknown>;
    if (typeof repository !== 'string' || !repository.trim())
      return void problems.push(`${where} has no "repository" (registry/repository, e.g. registry.example.com/prod/app)`);
    const label = typeof name === 'string' && name.trim() ? name.trim() : repository;
    let ref;
    try {
      ref = parseReference(repository.trim(), { allowDockerHubShortNames: false });
    } catch (error) {
      return void problems.push(`${where} (${label}): ${(error as Error).message}`);
    }
    if (ref.tag || ref.digest)
      return void problems.push(`${where} (${label}): "repository" names a tag or digest; give registry/repository and the tag in "tag"`);
    if (typeof tag !== 'string' || !tag) return void problems.push(`${where} (${label}) has no "tag" (the tag to move, e.g. prod)`);
    try {
      validateTag(tag);
    } catch (error) {
      return void problems.push(`${where} (${label}): ${(error as Error).message}`);
    }
    if (referrers !== undefined && typeof referrers !== 'boolean')
      return void problems.push(`${where} (${label}): "referrers" must be true or false`);
    targets.push({ name: label, registry: ref.registry, repository: ref.repository, tag, referrers: referrers !== false });
  });
  return { targets, problems };
}
