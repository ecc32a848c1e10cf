import { OciError } from '../../oci';
import { formatSize } from '../../text/format';

/** How much of a source graph a copy reads before it refuses: every limit is checked before the read it would exceed. */
export interface GraphLimits {
  /** Manifests and indexes, the artifact's own and every referrer's. */
  manifests: number;
  /** Nested indexes, and referrers of referrers. */
  depth: number;
  /** Manifest bytes held in memory (a copy pushes them unchanged, so it keeps them). */
  bytes: number;
  /** Reading the whole graph. */
  ms: number;
}

export const DEFAULT_GRAPH_LIMITS: GraphLimits = {
  manifests: 10_000,
  depth: 8,
  bytes: 128 * 1024 * 1024,
  ms: 20 * 60 * 1000,
};

/**
 * The budget of one walk over a source graph. Its signal ends every request of the walk: when the
 * deadline passes (with a TIMEOUT that says what was being read), when the caller cancels, or
 * when a limit is hit or a read fails, so requests already queued are never sent.
 */
export class GraphBudget {
  readonly signal: AbortSignal;
  manifests = 0;
  bytes = 0;
  private readonly stop = new AbortController();
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly what: string,
    readonly limits: GraphLimits,
    signal?: AbortSignal,
  ) {
    this.signal = signal ? AbortSignal.any([signal, this.stop.signal]) : this.stop.signal;
    this.timer = setTimeout(
      () =>
        this.stop.abort(
          new OciError(
            'TIMEOUT',
            `Reading ${what} did not finish within ${Number((limits.ms / 1000).toFixed(1))} s (manifests read so far: ${this.manifests}); stopped`,
            { hint: 'The source registry is slow or its referrers keep growing; try again later, or copy without referrers' },
          ),
        ),
      limits.ms,
    );
    this.timer.unref();
  }

  /** Throws unless `count` more manifests fit, before any of them is fetched. */
  ensureRoom(count: number, why: string): void {
    if (this.manifests + count > this.limits.manifests)
      throw this.tooLarge(`${why}: with the ${this.manifests} manifests already read that is over the limit of ${this.limits.manifests}`);
  }

  takeBytes(count: number): void {
    this.bytes += count;
    if (this.bytes > this.limits.bytes) throw this.tooLarge(`its manifests take more than ${formatSize(this.limits.bytes)}`);
  }

  /** How many more manifests may be read. */
  get remaining(): number {
    return this.limits.manifests - this.manifests;
  }

  tooLarge(problem: string): OciError {
    return new OciError('TOO_LARGE', `${this.what} is too large to copy: ${problem}; nothing was copied`, {
      hint: 'Copy the artifact without its referrers (oci-gitops copy without --referrers), or delete the referrers nobody needs at the source',
    });
  }

  /** Ends the walk: nothing queued is sent. */
  end(reason?: unknown): void {
    clearTimeout(this.timer);
    if (!this.stop.signal.aborted) this.stop.abort(reason ?? new OciError('CANCELLED', `Reading ${this.what} ended`));
  }
}
