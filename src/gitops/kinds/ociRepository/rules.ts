import { isLoopbackHost } from '../../../oci/reference/host';
import type { RuleContext } from '../../contract/ruleContext';
import { compiles, DIGEST, INTERVAL, isSemverConstraint, TAG, TIMEOUT } from '../../rules/grammar';
import { checkOciUrl } from '../../rules/ociUrl';
import { DOCS } from './schema';

/** Flux OCIRepository (source.toolkit.fluxcd.io v1 and v1beta2): the CRD and the controller's own rules. */
export function checkOciRepository(ctx: RuleContext): void {
  const apiVersion = ctx.string('apiVersion');
  if (apiVersion === 'source.toolkit.fluxcd.io/v1beta2') {
    const range = ctx.valueRange('apiVersion');
    ctx.report(
      'OCI000',
      'warning',
      'source.toolkit.fluxcd.io/v1beta2 OCIRepository is deprecated and removed in Flux 2.8; change apiVersion to source.toolkit.fluxcd.io/v1 (the spec is the same)',
      range,
      DOCS,
      {
        title: 'Change apiVersion to source.toolkit.fluxcd.io/v1',
        edits: [{ start: range[0], end: range[1], text: 'source.toolkit.fluxcd.io/v1' }],
      },
    );
  }
  if (!ctx.isMapAt('spec')) {
    ctx.reportWhole('OCI001', 'error', 'OCIRepository needs a spec with url and interval', ctx.keyRange('spec'), DOCS);
    return;
  }
  const host = checkOciUrl(ctx, ['spec'], {
    docs: DOCS,
    tagField: 'spec.ref.tag',
    digestField: 'spec.ref.digest',
    moveTag: (tag, keyColumn, hasRef) => (hasRef ? undefined : `\n${' '.repeat(keyColumn)}ref:\n${' '.repeat(keyColumn + 2)}tag: ${tag}`),
  });
  if (host !== undefined && ctx.node('spec', 'insecure') && ctx.string('spec', 'insecure') === 'true' && !isLoopbackHost(host)) {
    ctx.report(
      'OCI020',
      'info',
      `insecure: true sends pulls from ${host} over plain HTTP; use TLS (certSecretRef for a private CA) unless this registry is on a trusted network`,
      ctx.valueRange('spec', 'insecure'),
      DOCS,
    );
  }
  checkDurations(ctx);
  checkRef(ctx);
  checkEnums(ctx);
  checkVerify(ctx);
}

function checkDurations(ctx: RuleContext): void {
  const interval = ctx.requireSpecField(
    'OCI005',
    'interval',
    '5m',
    'spec.interval is required: how often to check the registry, e.g. 5m',
    DOCS,
  );
  if (interval !== undefined && !INTERVAL.test(interval))
    ctx.report(
      'OCI005',
      'error',
      `spec.interval "${interval}" is not a duration; use numbers with ms, s, m or h, e.g. 5m or 1h30m`,
      ctx.valueRange('spec', 'interval'),
      DOCS,
    );
  const timeout = ctx.string('spec', 'timeout');
  if (timeout !== undefined && !TIMEOUT.test(timeout)) {
    ctx.report(
      'OCI006',
      'error',
      `spec.timeout "${timeout}" is not a duration in ms, s or m (hours are not allowed here), e.g. 60s`,
      ctx.valueRange('spec', 'timeout'),
      DOCS,
    );
  }
}

function checkRef(ctx: RuleContext): void {
  if (!ctx.has('spec', 'ref')) {
    // Following the newest push is a delivery model the Flux docs show, not a mistake: an info.
    ctx.reportWhole(
      'OCI007',
      'info',
      'No spec.ref: Flux follows the mutable "latest" tag. Pin a digest, a tag or a semver range if the cluster should not change on every push',
      ctx.keyRange('spec', 'url'),
      DOCS,
    );
    return;
  }
  const digest = ctx.string('spec', 'ref', 'digest');
  const semver = ctx.string('spec', 'ref', 'semver');
  const tag = ctx.string('spec', 'ref', 'tag');
  const filter = ctx.string('spec', 'ref', 'semverFilter');
  if (digest !== undefined && !DIGEST.test(digest)) {
    ctx.report(
      'OCI008',
      'error',
      `spec.ref.digest "${digest}" is not sha256:<64 lowercase hex digits>`,
      ctx.valueRange('spec', 'ref', 'digest'),
      DOCS,
    );
  }
  if (semver !== undefined && !isSemverConstraint(semver) && !/^v?\d+\.\d+\.\d+/.test(semver)) {
    ctx.report(
      'OCI009',
      'error',
      `spec.ref.semver "${semver}" is not a semver constraint, e.g. ">=1.0.0 <2.0.0" or "1.x"`,
      ctx.valueRange('spec', 'ref', 'semver'),
      DOCS,
    );
  }
  if (tag !== undefined && !TAG.test(tag))
    ctx.report('OCI010', 'error', `spec.ref.tag "${tag}" is not a valid tag`, ctx.valueRange('spec', 'ref', 'tag'), DOCS);
  const overridden = refOverride(digest, semver, tag);
  if (overridden !== undefined)
    ctx.report(overridden.code, overridden.severity, overridden.message, ctx.keyRange('spec', 'ref', overridden.key), DOCS);
  if (digest === undefined && semver === undefined && tag === 'latest') {
    // A patch's tag may be overridden by a digest or semver of the object it patches.
    ctx.reportWhole(
      'OCI012',
      'info',
      'The "latest" tag moves: what the cluster runs changes with every push, without a commit. Pin a digest or a version tag if it should not',
      ctx.valueRange('spec', 'ref', 'tag'),
      DOCS,
    );
  }
  if (filter !== undefined) {
    const problem = compiles(filter);
    if (problem)
      ctx.report(
        'OCI013',
        'error',
        `spec.ref.semverFilter is not a valid regular expression: ${problem}`,
        ctx.valueRange('spec', 'ref', 'semverFilter'),
        DOCS,
      );
    if (semver === undefined)
      ctx.reportWhole(
        'OCI014',
        'warning',
        'spec.ref.semverFilter only applies together with spec.ref.semver; it is ignored here',
        ctx.keyRange('spec', 'ref', 'semverFilter'),
        DOCS,
      );
  }
}

function checkEnums(ctx: RuleContext): void {
  const enumOf = (path: string[], allowed: string[], code: string) => {
    const value = ctx.string(...path);
    if (value !== undefined && !allowed.includes(value)) {
      ctx.report(code, 'error', `${path.join('.')} "${value}" must be one of ${allowed.join(', ')}`, ctx.valueRange(...path), DOCS);
    }
  };
  enumOf(['spec', 'provider'], ['generic', 'aws', 'azure', 'gcp'], 'OCI015');
  enumOf(['spec', 'layerSelector', 'operation'], ['extract', 'copy'], 'OCI015');
  enumOf(['spec', 'verify', 'provider'], ['cosign', 'notation'], 'OCI015');
}

function checkVerify(ctx: RuleContext): void {
  if (!ctx.has('spec', 'verify')) return;
  const provider = ctx.string('spec', 'verify', 'provider') ?? 'cosign';
  const hasSecret = ctx.has('spec', 'verify', 'secretRef');
  const identities = ctx.node('spec', 'verify', 'matchOIDCIdentity');
  const items = (identities as { items?: unknown[] } | undefined)?.items ?? [];
  items.forEach((_, index) => {
    for (const field of ['issuer', 'subject']) {
      const value = ctx.string('spec', 'verify', 'matchOIDCIdentity', index, field);
      if (value === undefined)
        ctx.report(
          'OCI016',
          'error',
          `matchOIDCIdentity[${index}] needs ${field} (a regular expression)`,
          ctx.valueRange('spec', 'verify', 'matchOIDCIdentity', index),
          DOCS,
        );
      else {
        const problem = compiles(value);
        if (problem)
          ctx.report(
            'OCI016',
            'error',
            `matchOIDCIdentity[${index}].${field} is not a valid regular expression: ${problem}`,
            ctx.valueRange('spec', 'verify', 'matchOIDCIdentity', index, field),
            DOCS,
          );
      }
    }
  });
  if (provider === 'cosign' && !hasSecret && items.length === 0) {
    // The Flux docs enable keyless verification exactly this way; narrowing it is advice, not a fix.
    ctx.reportWhole(
      'OCI017',
      'info',
      'Keyless cosign verification without matchOIDCIdentity accepts a signature from anyone with a Sigstore identity; add issuer and subject patterns to accept only your signer',
      ctx.keyRange('spec', 'verify'),
      DOCS,
    );
  }
  if (provider === 'notation' && !hasSecret) {
    ctx.reportWhole(
      'OCI018',
      'error',
      'Notation verification needs spec.verify.secretRef: a Secret with trustpolicy.json and the trusted certificates',
      ctx.keyRange('spec', 'verify'),
      DOCS,
    );
  }
}

/** Which ref field another one overrides (precedence digest > semver > tag), and how much that matters. */
function refOverride(
  digest: string | undefined,
  semver: string | undefined,
  tag: string | undefined,
): { code: 'OCI011'; severity: 'warning' | 'info'; key: 'semver' | 'tag'; message: string } | undefined {
  const precedence = '(precedence digest > semver > tag)';
  if (digest !== undefined && semver !== undefined)
    return { code: 'OCI011', severity: 'warning', key: 'semver', message: `spec.ref.digest wins: semver is ignored ${precedence}` };
  // Tag beside digest is the pinned form Renovate's flux manager writes (pinDigests): the tag names
  // the digest for people and for updates, so it is a fact to know, not a mistake.
  if (digest !== undefined && tag !== undefined)
    return {
      code: 'OCI011',
      severity: 'info',
      key: 'tag',
      message: `spec.ref.digest is what Flux pulls: the tag only names it ${precedence}; keep the two in step`,
    };
  if (semver !== undefined && tag !== undefined)
    return { code: 'OCI011', severity: 'warning', key: 'tag', message: `spec.ref.semver wins: tag is ignored ${precedence}` };
  return undefined;
}
