import type { TextEdit } from '../diagnostic';
import type { RuleContext } from '../contract/ruleContext';
import { REPOSITORY, splitOciUrl } from './grammar';

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
