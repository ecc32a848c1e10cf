import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Diagnostic } from './diagnostic';
import { indexOurSources, MAX_VALIDATED_BYTES } from './engine';
import type { AppliedBy } from './kustomize/appliedBy';
import { isKustomizationFile, KustomizeIndex, type FileRole } from './kustomize/kustomizeIndex';
import { Reconciliation } from './kustomize/reconciliation';
import type { LiveOptions } from './live/liveCheck';
import { skipReason, type SkipReason } from './scope';
import type { SourceIndex } from './sources';
import type { GitOpsValidator } from './validator';

/**
 * What validating one file needs to know of the others, built once from every YAML text of a
 * workspace (the editor's) or of the targets of `validateFiles` (the CLI, the push gate, agents):
 * whether each file is ours, the sources the files declare (in the namespaces they get), what a
 * kustomization makes of each file, and what applies it to the cluster. Every caller asks these
 * questions here, so one folder gets one answer whichever of them asks.
 */
export class WorkspacePicture {
  /** Undefined while the files are not read yet: references to sources are then not judged. */
  readonly sources: SourceIndex | undefined;
  private readonly texts = new Map<string, string>();
  private readonly scopes = new Map<string, SkipReason | undefined>();
  private readonly kustomize = new KustomizeIndex();
  private readonly walked = new Set<string>();
  private readonly reconciliation: Reconciliation;

  /**
   * `texts`: the YAML files known, kustomization files among them, by path (undefined: not read
   * yet, as in an editor that has only begun reading its workspace). `around`: files whose
   * own folder and the folders above it may hold a kustomization naming them that is not among
   * the texts (the targets of a CLI run, read from disk once per folder).
   */
  constructor(texts: ReadonlyMap<string, string> | undefined, around: Iterable<string> = []) {
    for (const [path, text] of texts ?? []) {
      const absolute = resolve(path);
      this.texts.set(absolute, text);
      if (isKustomizationFile(absolute)) this.kustomize.add(absolute, text);
    }
    for (const path of around) this.lookAround(path);
    this.reconciliation = new Reconciliation(this.texts);
    this.sources = texts
      ? indexOurSources(
          [...this.texts]
            .filter(([path, text]) => text.length <= MAX_VALIDATED_BYTES && this.scopeOf(path, text) === undefined)
            .flatMap(([path, text]) => this.reconciliation.declaring(path, text)),
        )
      : undefined;
  }

  /**
   * Why a file gets no findings from us, if it does not (none of our kinds, a Helm template by
   * its place in a chart or by its template actions): asked once per text. `path` is left out
   * for a text with no file behind it.
   */
  scopeOf(path: string | undefined, text: string): SkipReason | undefined {
    if (path === undefined) return skipReason(text);
    const absolute = resolve(path);
    if (this.texts.get(absolute) === text && this.scopes.has(absolute)) return this.scopes.get(absolute);
    const reason = skipReason(text, absolute);
    if (this.texts.get(absolute) === text) this.scopes.set(absolute, reason);
    return reason;
  }

  /**
   * Adds the kustomizations of a file's folder and of the folders above it, read from disk: for a
   * file outside the folders the picture was built from. Many files of one folder walk it once.
   */
  lookAround(path: string): void {
    const above = dirname(resolve(path));
    if (this.walked.has(above)) return;
    this.walked.add(above);
    this.kustomize.addAround(path, readTextSync);
  }

  /** What a kustomization in the picture makes of a file. */
  roleOf(path: string): FileRole | undefined {
    return this.kustomize.roleOf(path);
  }

  /** What applies a file to the cluster, as the picture shows it. */
  appliedBy(path: string): AppliedBy | undefined {
    return this.reconciliation.appliedBy(path);
  }

  /**
   * The offline findings of one file that {@link scopeOf} found ours, judged against the
   * picture: its sources, its kustomize role, what applies it. `path` is left out for a text with
   * no file behind it (it still resolves references against the picture's sources).
   */
  validate(validator: GitOpsValidator, path: string | undefined, text: string, signal?: AbortSignal): Promise<Diagnostic[]> {
    return validator.validateOurs(text, this.sources, signal, ...this.placeOf(path));
  }

  /** What live checks of one file take from the picture. */
  liveContext(path: string | undefined): Pick<LiveOptions, 'role' | 'sources' | 'appliedBy'> {
    const [role, appliedBy] = this.placeOf(path);
    return { ...(this.sources ? { sources: this.sources } : {}), ...(role ? { role } : {}), ...(appliedBy ? { appliedBy } : {}) };
  }

  private placeOf(path: string | undefined): [FileRole | undefined, AppliedBy | undefined] {
    return path === undefined ? [undefined, undefined] : [this.roleOf(path), this.appliedBy(path)];
  }
}

function readTextSync(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
