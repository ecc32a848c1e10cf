import { isLoopbackHost } from '../../oci/reference/host';
import type { TextEdit } from '../diagnostic';
import type { RuleContext } from './context';
import { compiles, DIGEST, INTERVAL, isSemverConstraint, REPOSITORY, splitOciUrl, TAG, TIMEOUT } from './grammar';

const DOCS = 'https://fluxcd.io/flux/components/source/ocirepositories/';

/** Flux OCIRepository (source.toolkit.fluxcd.io v1 and v1beta2): the CRD and the controller's own rules. */
export function checkOciRepository(ctx: RuleContext, apiVersion: string): void {
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

/** Where a kind keeps what an OCI url must not hold, for messages and the quick fix. */
export interface OciUrlPlaces {
  docs: string;
  /** The field that takes the tag, e.g. spec.ref.tag. */
  tagField: string;
  /** The field that takes a digest; undefined when the kind cannot pin one. */
  digestField?: string;
  /** The text that puts a tag from the url where the kind keeps it (inserted after the url), when that is certain. */
  moveTag(tag: string, keyColumn: number, hasRef: boolean): string | undefined;
}

/**
 * The url of an OCI source at `base` (an OCIRepository's spec, a FluxInstance's spec.sync):
 * required, oci://, a valid repository, no tag or digest in it. Returns the registry host when
 * the url is well formed.
 */
export function checkOciUrl(ctx: RuleContext, base: string[], places: OciUrlPlaces): string | undefined {
  const { docs, tagField, digestField, moveTag } = places;
  const where = [...base, 'url'].join('.');
  const url = ctx.string(...base, 'url');
  if (url === undefined) {
    ctx.reportWhole(
      'OCI001',
      'error',
      `${where} is required: the repository as oci://registry/repository`,
      ctx.keyRange(...base, 'url'),
      docs,
    );
    return undefined;
  }
  const range = ctx.valueRange(...base, 'url');
  if (!url.startsWith('oci://')) {
    const fixed = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? undefined : `oci://${url}`;
    ctx.report(
      'OCI002',
      'error',
      `${where} must start with oci:// (got "${url}")`,
      range,
      docs,
      fixed ? { title: 'Add oci://', edits: [{ start: range[0], end: range[1], text: fixed }] } : undefined,
    );
    return undefined;
  }
  const parts = splitOciUrl(url);
  if (!parts) {
    ctx.report('OCI003', 'error', `${where} "${url}" has no repository; write oci://registry/repository`, range, docs);
    return undefined;
  }
  if (!REPOSITORY.test(parts.repository)) {
    ctx.report(
      'OCI003',
      'error',
      `"${parts.repository}" is not a valid repository name: lowercase letters and digits separated by ".", "_", "__" or "-", and "/"`,
      range,
      docs,
    );
  }
  if (parts.tag || parts.digest) {
    const clean = `oci://${parts.host}/${parts.repository}`;
    const what = parts.digest ? `the digest ${parts.digest}` : `the tag ":${parts.tag}"`;
    const edits: TextEdit[] = [{ start: range[0], end: range[1], text: clean }];
    const insert =
      parts.tag && !parts.digest ? moveTag(parts.tag, ctx.column(ctx.keyRange(...base, 'url')[0]), ctx.has(...base, 'ref')) : undefined;
    if (insert) edits.push({ start: range[1], end: range[1], text: insert });
    const destination = !parts.digest
      ? `Put it in ${tagField}`
      : digestField
        ? `Put it in ${digestField}`
        : `This kind follows a tag (${tagField}) and cannot pin a digest`;
    ctx.report(
      'OCI004',
      'error',
      `${where} must not contain ${what}; Flux rejects it. ${destination}`,
      range,
      docs,
      insert ? { title: `Move :${parts.tag} to ${tagField}`, edits } : { title: 'Remove it from the url', edits: [edits[0]] },
    );
  }
  return parts.host;
}

function checkDurations(ctx: RuleContext): void {
  const interval = ctx.string('spec', 'interval');
  if (interval === undefined)
    ctx.reportWhole(
      'OCI005',
      'error',
      'spec.interval is required: how often to check the registry, e.g. 5m',
      ctx.keyRange('spec', 'interval'),
      DOCS,
      ctx.addField(['spec'], 'Add interval: 5m', ['interval: 5m']),
    );
  else if (!INTERVAL.test(interval))
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
  if (digest !== undefined && (semver !== undefined || tag !== undefined)) {
    ctx.report(
      'OCI011',
      'warning',
      `spec.ref.digest wins: ${semver !== undefined ? 'semver' : 'tag'} is ignored (precedence digest > semver > tag)`,
      ctx.keyRange('spec', 'ref', semver !== undefined ? 'semver' : 'tag'),
      DOCS,
    );
  } else if (semver !== undefined && tag !== undefined) {
    ctx.report(
      'OCI011',
      'warning',
      'spec.ref.semver wins: tag is ignored (precedence digest > semver > tag)',
      ctx.keyRange('spec', 'ref', 'tag'),
      DOCS,
    );
  }
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
