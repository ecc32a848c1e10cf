import type { Reference } from '../../oci';
import type { CopyResult } from './execute';
import type { CopyPlan } from './plan';

/**
 * The tags a copy sets, as `oras copy` decides them: the destination's tag; with none, a tagged
 * source keeps its tag (a source named by digest stays untagged); then any more asked for.
 */
export function copyTags(source: Reference, destination: Reference, more: readonly string[] = []): string[] {
  const own = destination.tag ? [destination.tag] : source.tag && !source.digest ? [source.tag] : [];
  return [...new Set([...own, ...more])];
}

/** What a finished copy did, as the CLI's --json and the MCP server report it. */
export function copyReport(plan: CopyPlan, result: CopyResult) {
  return {
    pinned: result.pinned,
    digest: result.digest,
    tags: result.tags,
    blobs: result.blobs,
    manifests: result.manifests,
    referrers: { ...result.referrers, byKind: plan.summary.referrers },
    cosignTags: result.cosignTags,
    nothingCopied: result.nothingCopied,
    warnings: plan.warnings,
  };
}
