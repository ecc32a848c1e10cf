/**
 * Returns the target of `rel="next"` from an RFC 8288 Link header, e.g.
 * `</v2/_catalog?last=b&n=100>; rel="next"`.
 */
export function nextLink(header: string | string[] | undefined): string | undefined {
  if (!header) return undefined;
  const text = Array.isArray(header) ? header.join(', ') : header;
  const pattern = /<([^>]*)>\s*((?:;\s*[a-zA-Z*]+\s*=\s*(?:"[^"]*"|[^;,\s]+)\s*)*)/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))/i.exec(match[2]);
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (rels.includes('next')) return match[1];
  }
  return undefined;
}
