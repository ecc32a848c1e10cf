import { resolveSemver, type SemverResolution } from '../semver';
import { repositoryText, type SemverSite } from '../contract/completionSite';

const CONTROLLER_NAMES = {
  'flux-oci': 'Flux (OCIRepository ref.semver)',
  'flux-helm': 'Flux (HelmChart from an OCI HelmRepository)',
  argo: 'Argo CD (targetRevision)',
} as const;

/** How each controller treats pre-releases and tags, said where it matters: the hover names the one that applies. */
const RULES = {
  'flux-oci':
    'Flux reads tags as strict semantic versions (a leading `v` allowed), after `semverFilter`; a constraint without a pre-release part never matches a pre-release.',
  'flux-helm': 'Helm chart tags spell `+` as `_`; only strict versions without `v` count, and a tag equal to the constraint wins outright.',
  argo: 'Argo CD reads tags loosely (`v1.2`, `1.2`, `1.02.3` count as versions) and treats a version as a pin, not a range; a constraint without a pre-release part never matches a pre-release.',
} as const;

export interface SemverPreview {
  resolution: SemverResolution;
  /** One line: what the CodeLens shows. */
  title: string;
  /** Markdown: what the hover shows. */
  markdown: string;
}

const LISTED = 12;

/** What a constraint selects today from a repository's tags, worded for a CodeLens and a hover. */
export function previewSemver(site: SemverSite, tags: readonly string[]): SemverPreview {
  const resolution = resolveSemver(tags, site.constraint, site.options);
  const who = CONTROLLER_NAMES[site.options.controller];
  const short = site.options.controller === 'argo' ? 'Argo CD' : 'Flux';
  const matching = resolution.matches.map((m) => m.tag);
  let title: string;
  if (resolution.error) title = `${short} refuses "${site.constraint}": ${resolution.error}`;
  else if (!resolution.winner) title = `No tag satisfies "${site.constraint}": ${short} will fail to resolve it`;
  else if (resolution.pinned === 'version') title = `${short} reads "${site.constraint}" as a version: it fetches tag ${resolution.winner}`;
  else
    title = `${short} picks ${resolution.winner} (${matching.length} matching${matching.length > 1 ? `: ${matching.slice(0, 4).join(', ')}${matching.length > 4 ? ', …' : ''}` : ''})`;
  const lines = [`\`${site.constraint}\` in ${repositoryText(site.repo)}, as ${who} resolves it`, ''];
  if (resolution.winner)
    lines.push(`Picks \`${resolution.winner}\`${resolution.pinned === 'exact-tag' ? ' (a tag equal to the constraint)' : ''}`, '');
  if (resolution.error) lines.push(`Error: ${resolution.error}`, '');
  if (matching.length) {
    lines.push(`Matching versions, newest first (${matching.length}):`, '');
    for (const tag of matching.slice(0, LISTED)) lines.push(`- \`${tag}\`${tag === resolution.winner ? ' ← picked' : ''}`);
    if (matching.length > LISTED) lines.push(`- … ${matching.length - LISTED} more`);
    lines.push('');
  } else if (!resolution.error && resolution.pinned !== 'version') lines.push(`No tag of the ${tags.length} satisfies it.`, '');
  if (site.options.filter) lines.push(`semverFilter \`${site.options.filter}\` applied first.`, '');
  lines.push(RULES[site.options.controller]);
  return { resolution, title, markdown: lines.join('\n') };
}
