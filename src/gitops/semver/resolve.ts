import { compileGoRegexp } from '../../text/goRegexp';
import { ConstraintError, parseConstraints, satisfies, type Constraints } from './constraint';
import { compareVersions, parseStrictVersion, parseVersion, VersionError, type Version } from './version';
import { errorMessage } from '../../text/format';

/**
 * Which controller reads the constraint, and from which kind of tags: the two controllers and their
 * two source kinds each read tags differently (same Masterminds constraints, different version parsing).
 *
 * - `flux-oci`: OCIRepository `ref.semver`. fluxcd/source-controller internal/controller/ocirepository_controller.go
 *   getTagBySemver: tags filtered by `semverFilter` (Go regexp) first, each parsed with fluxcd/pkg
 *   version/version.go ParseVersion (strict MAJOR.MINOR.PATCH after one leading `v`), highest match wins.
 * - `flux-helm`: HelmChart/HelmRelease `chart.spec.version` from an OCI HelmRepository. Helm's registry client
 *   (helm pkg/registry/client.go Tags) turns `_` back into `+` and keeps strict semver only (no `v`);
 *   source-controller internal/helm/repository/oci_chart_repository.go getLastMatchingVersionOrConstraint
 *   takes an exact tag first, reads `""`/`*` as "latest stable", then the highest match.
 * - `argo`: Application `targetRevision` (Helm-OCI and OCI sources). argo-cd util/versions/tags.go MaxVersion:
 *   a revision that NewVersion accepts (`1.2`, `v1`, `1.2.3`) is a pin, not a range; tags are parsed with the
 *   loose NewVersion (so `v1.2`, `1.02.3` count); a tag that looks like a version but fails validation
 *   (`1.0.0-01`) aborts resolution; for Helm-OCI charts argo-cd util/helm/client.go GetTags turns `_` into `+` first.
 */
export type SemverController = 'flux-oci' | 'flux-helm' | 'argo';

export interface SemverOptions {
  controller: SemverController;
  /** `semverFilter`: a Go regular expression tags must match (Flux OCIRepository only). */
  filter?: string;
  /** Tags are Helm chart versions (`_` stands for `+`); Argo CD Helm-OCI sources. */
  helmTags?: boolean;
}

export interface MatchingTag {
  tag: string;
  version: Version;
}

export interface SemverResolution {
  controller: SemverController;
  /** Tags that satisfy the constraint, newest first; the first one is what the controller picks. */
  matches: MatchingTag[];
  /** The tag the controller fetches; undefined when nothing matches (the controller fails). */
  winner?: string;
  /** How the winner was chosen when it was not "highest matching version". */
  pinned?: 'exact-tag' | 'version';
  /** Set when the controller refuses the input outright (bad constraint, bad filter, a tag Argo CD cannot parse). */
  error?: string;
}

function fluxParse(tag: string): Version | undefined {
  // fluxcd/pkg version.ParseVersion: strict after trimming a single `v`, then NewVersion keeps the original text.
  try {
    parseStrictVersion(tag.startsWith('v') ? tag.slice(1) : tag);
    return parseVersion(tag);
  } catch {
    return undefined;
  }
}

function helmRegistryVersion(tag: string): string | undefined {
  const version = tag.replace(/_/g, '+');
  try {
    parseStrictVersion(version);
    return version;
  } catch {
    return undefined;
  }
}

function newestFirst(matches: MatchingTag[]): MatchingTag[] {
  // Array.prototype.sort is stable: equal versions (`1.0.0` and `v1.0.0`) keep registry order.
  return matches.sort((a, b) => compareVersions(b.version, a.version));
}

function compile(constraint: string): Constraints | string {
  try {
    return parseConstraints(constraint);
  } catch (error) {
    if (error instanceof ConstraintError) return `semver '${constraint}' parse error: ${error.message}`;
    throw error;
  }
}

function resolveFluxOci(tags: readonly string[], constraint: string, filter?: string): SemverResolution {
  const base: SemverResolution = { controller: 'flux-oci', matches: [] };
  let candidates = tags;
  if (filter) {
    try {
      const regexp = compileGoRegexp(filter);
      candidates = tags.filter((tag) => regexp.test(tag));
    } catch (error) {
      return { ...base, error: `semverFilter ${filter} is not a Go regular expression: ${errorMessage(error)}` };
    }
  }
  const constraints = compile(constraint);
  if (typeof constraints === 'string') return { ...base, error: constraints };
  const matches: MatchingTag[] = [];
  for (const tag of candidates) {
    const version = fluxParse(tag);
    if (version && satisfies(version, constraints)) matches.push({ tag, version });
  }
  newestFirst(matches);
  return { ...base, matches, winner: matches[0]?.tag };
}

function resolveFluxHelm(tags: readonly string[], constraint: string): SemverResolution {
  const base: SemverResolution = { controller: 'flux-helm', matches: [] };
  const chartVersions = tags.map(helmRegistryVersion).filter((v): v is string => v !== undefined);
  const latestStable = constraint === '' || constraint === '*';
  const constraints = compile(latestStable ? '*' : constraint);
  if (typeof constraints === 'string') return { ...base, error: constraints };
  const matches: MatchingTag[] = [];
  for (const text of chartVersions) {
    const version = fluxParse(text);
    if (version && satisfies(version, constraints)) matches.push({ tag: text.replace(/\+/g, '_'), version });
  }
  newestFirst(matches);
  if (!latestStable && chartVersions.includes(constraint))
    return { ...base, matches, winner: constraint.replace(/\+/g, '_'), pinned: 'exact-tag' };
  return { ...base, matches, winner: matches[0]?.tag };
}

function resolveArgo(tags: readonly string[], revision: string, helmTags: boolean): SemverResolution {
  const base: SemverResolution = { controller: 'argo', matches: [] };
  try {
    parseVersion(revision);
    // A version is a pin: Argo CD fetches exactly that revision, whether or not the registry has it.
    return { ...base, winner: revision.replace(/\+/g, '_'), pinned: 'version' };
  } catch {
    // Not a version: read it as a constraint below.
  }
  const constraints = compile(revision);
  if (typeof constraints === 'string') return { ...base, error: `failed to determine semver constraint: ${constraints}` };
  const matches: MatchingTag[] = [];
  for (const tag of tags) {
    const text = helmTags ? tag.replace(/_/g, '+') : tag;
    let version: Version;
    try {
      version = parseVersion(text);
    } catch (error) {
      if (error instanceof VersionError && error.kind === 'invalid') continue;
      return { ...base, error: `invalid semver version in tags: ${tag} (${errorMessage(error)})` };
    }
    if (satisfies(version, constraints)) matches.push({ tag, version });
  }
  newestFirst(matches);
  return { ...base, matches, winner: matches[0]?.tag };
}

/** What the controller would pick from `tags` for `constraint`, and every tag that satisfies it, newest first. */
export function resolveSemver(tags: readonly string[], constraint: string, options: SemverOptions): SemverResolution {
  switch (options.controller) {
    case 'flux-oci':
      return resolveFluxOci(tags, constraint, options.filter);
    case 'flux-helm':
      return resolveFluxHelm(tags, constraint);
    case 'argo':
      return resolveArgo(tags, constraint, options.helmTags ?? false);
  }
}
