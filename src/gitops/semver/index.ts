export { parseVersion, parseStrictVersion, compareVersions, comparePrerelease, formatVersion, VersionError } from './version';
export type { Version, VersionErrorKind } from './version';
export { parseConstraints, satisfies, checkConstraint, rewriteRange, parseSingleConstraint, ConstraintError } from './constraint';
export type { Constraint, Constraints } from './constraint';
export { resolveSemver } from './resolve';
export { selectTags, type TagSelection } from './selectTags';
export type { SemverController, SemverOptions, SemverResolution, MatchingTag } from './resolve';
