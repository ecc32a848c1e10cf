import type { RepositoryApi } from '../../oci';
import { executeCopy, type CopyOptions, type CopyResult } from './execute';
export {
  planRepositoryCopy,
  releaseTags,
  type PlannedTag,
  type RepositoryCopyPlan,
  type RepositoryPlanOptions,
  type UnreadableTag,
} from './repositoryPlan';
export {
  executeRepositoryCopy,
  repositoryCopyExitCode,
  type RepositoryCopyOptions,
  type RepositoryCopyResult,
  type TagOutcome,
  type TagResult,
} from './repositoryCopy';
import { planCopy, type CopyPlan, type PlanOptions } from './plan';

export { planCopy, withoutReferrers, type AttachedNode, type CopyNode, type CopyPlan, type CopySummary, type PlanOptions } from './plan';
export { copyReport, copyTags } from './report';
export { copyPreview, copyResultText, referrersByKind, type CopyPreview, type DestinationTag } from './preview';
export {
  destinationMoves,
  copyLedger,
  executeCopy,
  type CopyLedger,
  type CopyOptions,
  type CopyProgress,
  type CopyResult,
  type CosignTagAction,
  type TagAction,
} from './execute';

/** Plans and runs a copy in one call; an editor plans first, to preview and confirm. */
export async function copyArtifact(
  from: RepositoryApi,
  reference: string,
  to: RepositoryApi,
  options: CopyOptions & Pick<PlanOptions, 'referrers'> = {},
): Promise<{ plan: CopyPlan; result: CopyResult }> {
  const plan = await planCopy(from, reference, { referrers: options.referrers, signal: options.signal, concurrency: options.concurrency });
  return { plan, result: await executeCopy(plan, to, options) };
}
export { repositoryCopyPreview, tagOutcomeCounts, tagResultLines } from './repositoryPreview';
