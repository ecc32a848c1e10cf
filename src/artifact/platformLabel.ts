import type { Descriptor } from '../oci';

/**
 * How an entry of an index is named wherever it is shown: "linux/arm64/v8" from its platform, else
 * its artifactType (an index of artifacts), else the start of its digest.
 */
export function platformLabel(entry: Descriptor): string {
  const p = entry.platform;
  if (p) return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
  return entry.artifactType ?? entry.digest.slice(0, 19);
}
