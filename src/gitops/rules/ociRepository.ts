import { isLoopbackHost } from '../../oci/reference/host';
import type { RuleContext } from './context';
import { compiles, DIGEST, INTERVAL, isSemverConstraint, REPOSITORY, splitOciUrl, TAG, TIMEOUT } from './grammar';

const DOCS = 'https://fluxcd.io/flux/components/source/ocirepositories/';

/** Flux OCIRepository (source.toolkit.fluxcd.io v1 and v1beta2): the CRD and the controller's own rules. */
export function checkOciRepository(ctx: RuleContext, apiVersion: string): void {
  if (apiVersion === 'source.toolkit.fluxcd.io/v1beta2') {
    const range = ctx.valueRange('apiVersion');
    ctx.report('OCI000', 'warning', 'source.toolkit.fluxcd.io/v1beta2 OCIRepository is deprecated and removed in Flux 2.8; change apiVersion to source.toolkit.fluxcd.io/v1 (the spec is the same)', range, DOCS,
      { title: 'Change apiVersion to source.toolkit.fluxcd.io/v1', edits: [{ start: range[0], end: range[1], text: 'source.toolkit.fluxcd.io/v1' }] });
  }
  if (!ctx.isMapAt('spec')) {
    ctx.report('OCI001', 'error', 'OCIRepository needs a spec with url and interval', ctx.keyRange('spec'), DOCS);
    return;
  }
  checkUrl(ctx);
  checkDurations(ctx);
  checkRef(ctx);
  checkEnums(ctx);
  checkVerify(ctx);
}

function checkUrl(ctx: RuleContext): void {
  const url = ctx.string('spec', 'url');
  if (url === undefined) {
    ctx.report('OCI001', 'error', 'spec.url is required: the repository as oci://registry/repository', ctx.keyRange('spec', 'url'), DOCS);
    return;
  }
  const range = ctx.valueRange('spec', 'url');
  if (!url.startsWith('oci://')) {
    const fixed = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? undefined : `oci://${url}`;
    ctx.report('OCI002', 'error', `spec.url must start with oci:// (got "${url}")`, range, DOCS, fixed ? { title: 'Add oci://', edits: [{ start: range[0], end: range[1], text: fixed }] } : undefined);
    return;
  }
  const parts = splitOciUrl(url);
  if (!parts) {
    ctx.report('OCI003', 'error', `spec.url "${url}" has no repository; write oci://registry/repository`, range, DOCS);
    return;
  }
  if (!REPOSITORY.test(parts.repository)) {
    ctx.report('OCI003', 'error', `"${parts.repository}" is not a valid repository name: lowercase letters and digits separated by ".", "_", "__" or "-", and "/"`, range, DOCS);
  }
  if (parts.tag || parts.digest) {
    const clean = `oci://${parts.host}/${parts.repository}`;
    const what = parts.digest ? `the digest ${parts.digest}` : `the tag ":${parts.tag}"`;
    const hasRef = ctx.has('spec', 'ref');
    const edits = [{ start: range[0], end: range[1], text: clean }];
    if (!hasRef && parts.tag && !parts.digest) {
      // Put `ref:` right after the url line, at the url key's indentation.
      const keyStart = ctx.keyRange('spec', 'url')[0];
      edits.push({ start: range[1], end: range[1], text: `\n${' '.repeat(ctx.column(keyStart))}ref:\n${' '.repeat(ctx.column(keyStart) + 2)}tag: ${parts.tag}` });
    }
    ctx.report('OCI004', 'error', `spec.url must not contain ${what}; Flux rejects it. Put it in spec.ref.${parts.digest ? 'digest' : 'tag'}`, range, DOCS,
      !hasRef && parts.tag && !parts.digest ? { title: `Move :${parts.tag} to spec.ref.tag`, edits } : { title: 'Remove it from the url', edits: [edits[0]] });
  }
  if (ctx.node('spec', 'insecure') && ctx.string('spec', 'insecure') === 'true' && !isLoopbackHost(parts.host)) {
    ctx.report('OCI020', 'warning', `insecure: true sends pulls from ${parts.host} over plain HTTP; use TLS (certSecretRef for a private CA) unless this registry is on a trusted network`, ctx.valueRange('spec', 'insecure'), DOCS);
  }
}

function checkDurations(ctx: RuleContext): void {
  const interval = ctx.string('spec', 'interval');
  if (interval === undefined) ctx.report('OCI005', 'error', 'spec.interval is required: how often to check the registry, e.g. 5m', ctx.keyRange('spec', 'interval'), DOCS, ctx.addField(['spec'], 'Add interval: 5m', ['interval: 5m']));
  else if (!INTERVAL.test(interval)) ctx.report('OCI005', 'error', `spec.interval "${interval}" is not a duration; use numbers with ms, s, m or h, e.g. 5m or 1h30m`, ctx.valueRange('spec', 'interval'), DOCS);
  const timeout = ctx.string('spec', 'timeout');
  if (timeout !== undefined && !TIMEOUT.test(timeout)) {
    ctx.report('OCI006', 'error', `spec.timeout "${timeout}" is not a duration in ms, s or m (hours are not allowed here), e.g. 60s`, ctx.valueRange('spec', 'timeout'), DOCS);
  }
}

function checkRef(ctx: RuleContext): void {
  if (!ctx.has('spec', 'ref')) {
    ctx.report('OCI007', 'warning', 'No spec.ref: Flux follows the mutable "latest" tag. Pin a digest, a tag or a semver range', ctx.keyRange('spec', 'url'), DOCS);
    return;
  }
  const digest = ctx.string('spec', 'ref', 'digest');
  const semver = ctx.string('spec', 'ref', 'semver');
  const tag = ctx.string('spec', 'ref', 'tag');
  const filter = ctx.string('spec', 'ref', 'semverFilter');
  if (digest !== undefined && !DIGEST.test(digest)) {
    ctx.report('OCI008', 'error', `spec.ref.digest "${digest}" is not sha256:<64 lowercase hex digits>`, ctx.valueRange('spec', 'ref', 'digest'), DOCS);
  }
  if (semver !== undefined && !isSemverConstraint(semver) && !/^v?\d+\.\d+\.\d+/.test(semver)) {
    ctx.report('OCI009', 'error', `spec.ref.semver "${semver}" is not a semver constraint, e.g. ">=1.0.0 <2.0.0" or "1.x"`, ctx.valueRange('spec', 'ref', 'semver'), DOCS);
  }
  if (tag !== undefined && !TAG.test(tag)) ctx.report('OCI010', 'error', `spec.ref.tag "${tag}" is not a valid tag`, ctx.valueRange('spec', 'ref', 'tag'), DOCS);
  if (digest !== undefined && (semver !== undefined || tag !== undefined)) {
    ctx.report('OCI011', 'warning', `spec.ref.digest wins: ${semver !== undefined ? 'semver' : 'tag'} is ignored (precedence digest > semver > tag)`, ctx.keyRange('spec', 'ref', semver !== undefined ? 'semver' : 'tag'), DOCS);
  } else if (semver !== undefined && tag !== undefined) {
    ctx.report('OCI011', 'warning', 'spec.ref.semver wins: tag is ignored (precedence digest > semver > tag)', ctx.keyRange('spec', 'ref', 'tag'), DOCS);
  }
  if (digest === undefined && semver === undefined && tag === 'latest') {
    ctx.report('OCI012', 'warning', 'The "latest" tag moves: what the cluster runs can change without a commit. Pin a digest or a version tag', ctx.valueRange('spec', 'ref', 'tag'), DOCS);
  }
  if (filter !== undefined) {
    const problem = compiles(filter);
    if (problem) ctx.report('OCI013', 'error', `spec.ref.semverFilter is not a valid regular expression: ${problem}`, ctx.valueRange('spec', 'ref', 'semverFilter'), DOCS);
    if (semver === undefined) ctx.report('OCI014', 'warning', 'spec.ref.semverFilter only applies together with spec.ref.semver; it is ignored here', ctx.keyRange('spec', 'ref', 'semverFilter'), DOCS);
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
      if (value === undefined) ctx.report('OCI016', 'error', `matchOIDCIdentity[${index}] needs ${field} (a regular expression)`, ctx.valueRange('spec', 'verify', 'matchOIDCIdentity', index), DOCS);
      else {
        const problem = compiles(value);
        if (problem) ctx.report('OCI016', 'error', `matchOIDCIdentity[${index}].${field} is not a valid regular expression: ${problem}`, ctx.valueRange('spec', 'verify', 'matchOIDCIdentity', index, field), DOCS);
      }
    }
  });
  if (provider === 'cosign' && !hasSecret && items.length === 0) {
    ctx.report('OCI017', 'warning', 'Keyless cosign verification without matchOIDCIdentity accepts a signature from anyone with a Sigstore identity; add issuer and subject patterns', ctx.keyRange('spec', 'verify'), DOCS);
  }
  if (provider === 'notation' && !hasSecret) {
    ctx.report('OCI018', 'error', 'Notation verification needs spec.verify.secretRef: a Secret with trustpolicy.json and the trusted certificates', ctx.keyRange('spec', 'verify'), DOCS);
  }
}
