import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ArtifactError } from '../artifact/errors';
import type { Diagnostic } from './diagnostic';
import { yamlProblem } from './documents';
import { lineColumn, MAX_VALIDATED_BYTES } from './engine';
import { isKustomizationFile } from './kustomize/kustomizeIndex';
import { checkLive, type LiveOptions } from './live/liveCheck';
import { trustBesideManifest } from './live/workspaceTrust';
import { largeFileMayHoldOurKinds, type SkipReason } from './scope';
import { GitOpsValidator } from './validator';
import { WorkspacePicture } from './workspacePicture';

/** One diagnostic placed in its file, 1-based, as a terminal, SARIF or an agent reads it. */
export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Diagnostic['severity'];
  code: string;
  message: string;
}

/** What happened to the files given: how many were checked, and how many were left alone and why. */
export interface Tally {
  files: number;
  /** Files holding at least one document of a kind we validate. */
  ours: number;
  skipped: Record<Exclude<SkipReason, 'not-ours'>, number>;
  /** Files of no kind we check that are not YAML at all, and why (named, not passed over in silence). */
  unreadable: { file: string; why: string }[];
}

export interface ValidateFilesOptions {
  /** Also ask the registries (tags exist, digests, signatures, layer types) through this. */
  live?: Pick<LiveOptions, 'repository'>;
  signal?: AbortSignal;
}

/**
 * Validates the YAML files under the targets (files or folders) as one workspace: references
 * resolve across all of them, a kustomization names its patches (checked as partial objects), Helm
 * templates are skipped and counted, and a file too large to validate that may hold our kinds is
 * an error. The one answer the CLI and agents give to "validate these files".
 */
export async function validateFiles(targets: string[], options: ValidateFilesOptions = {}): Promise<{ findings: Finding[]; tally: Tally }> {
  const { files, kustomizations } = await collectYamlFiles(targets);
  const tally: Tally = { files: files.size, ours: 0, skipped: { 'chart-template': 0, 'template-actions': 0 }, unreadable: [] };
  // Every YAML text read, kustomizations among them: the picture each file is judged against.
  const texts = new Map<string, string>();
  for (const path of kustomizations) texts.set(path, await readFile(path, 'utf8'));
  // Files too large to validate, and whether each may hold our kinds (then a finding says so).
  const tooLarge = new Map<string, boolean>();
  for (const file of files) {
    if ((await stat(file)).size <= MAX_VALIDATED_BYTES) texts.set(file, await readFile(file, 'utf8'));
    else tooLarge.set(file, await largeFileMayHoldOurKinds(file));
  }
  // A kustomization above a target may name files in it as patches.
  const picture = new WorkspacePicture(texts, targets);
  // Each file in order: its text to validate, or (too large) the finding that says so.
  const plan = new Map<string, string | Finding>();
  for (const file of [...files].sort()) {
    const text = texts.get(file);
    if (tooLarge.has(file) || text === undefined) {
      if (tooLarge.get(file)) plan.set(file, tooLargeFinding(file));
      continue;
    }
    const reason = picture.scopeOf(file, text);
    if (reason === 'not-ours') {
      const why = yamlProblem(text);
      if (why) tally.unreadable.push({ file, why });
    } else if (reason) tally.skipped[reason]++;
    else plan.set(file, text);
  }
  tally.ours = plan.size;
  const validator = new GitOpsValidator();
  const findings: Finding[] = [];
  for (const [file, text] of plan) {
    options.signal?.throwIfAborted();
    if (typeof text !== 'string') {
      findings.push(text);
      continue;
    }
    const found = await picture.validate(validator, file, text, options.signal);
    if (options.live) {
      const live = await checkLive(text, {
        repository: options.live.repository,
        trustFor: (target) => trustBesideManifest(file, target),
        ...picture.liveContext(file),
      });
      found.push(...live.diagnostics);
      found.sort((a, b) => a.start - b.start);
    }
    findings.push(...placed(file, text, found));
  }
  return { findings, tally };
}

/** The finding for a file too large to validate that may hold our kinds: it must not pass unchecked. */
function tooLargeFinding(file: string): Finding {
  return {
    file,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    severity: 'error',
    code: 'YAML002',
    message: `Not validated: the file is over ${MAX_VALIDATED_BYTES / 1048576} MiB and names Flux or Argo CD kinds; split it into smaller files so they can be checked`,
  };
}

/** Diagnostics of one text (offsets) as findings (lines and columns). */
export function placed(file: string, text: string, found: Diagnostic[]): Finding[] {
  return found.map((d) => {
    const start = lineColumn(text, d.start);
    const end = lineColumn(text, d.end);
    return {
      file,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      severity: d.severity,
      code: d.code,
      message: d.message,
    };
  });
}

/** The YAML files under the targets (a file is taken as it is), and the kustomization files among them. */
export async function collectYamlFiles(targets: string[]): Promise<{ files: Set<string>; kustomizations: Set<string> }> {
  const files = new Set<string>();
  const kustomizations = new Set<string>();
  for (const target of targets) await collect(target, files, kustomizations);
  return { files, kustomizations };
}

/** Adds the YAML files under a target (a file is taken as it is), and the kustomization files among them. */
async function collect(target: string, files: Set<string>, kustomizations: Set<string>): Promise<void> {
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new ArtifactError('NOT_FOUND', `${target} does not exist`);
  if (info.isFile()) {
    files.add(target);
    if (isKustomizationFile(target)) kustomizations.add(target);
    return;
  }
  for (const entry of await readdir(target, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(target, entry.name);
    if (entry.isDirectory()) await collect(path, files, kustomizations);
    else if (entry.isFile() && isKustomizationFile(path)) kustomizations.add(path);
    if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) files.add(path);
  }
}
