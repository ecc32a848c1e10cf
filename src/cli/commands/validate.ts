import { ArtifactError } from '../../artifact/errors';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic } from '../../gitops/diagnostic';
import { indexSources, lineColumn, MAX_VALIDATED_BYTES } from '../../gitops/engine';
import { isKustomizationFile, KustomizeIndex } from '../../gitops/kustomize/kustomizeIndex';
import { checkLive } from '../../gitops/live/liveCheck';
import { trustBesideManifest } from '../../gitops/live/workspaceTrust';
import { largeFileMayHoldOurKinds, skipReason, type SkipReason } from '../../gitops/scope';
import { GitOpsValidator } from '../../gitops/validator';
import { ChainedCredentials, DockerConfigCredentials, OciClient, parseReference } from '../../oci';
import { line, type CliIo } from '../io';
import type { CommonOptions } from '../options';
import { UsageError } from '../usage';

interface Finding {
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
interface Tally {
  files: number;
  /** Files holding at least one document of a kind we validate. */
  ours: number;
  skipped: Record<Exclude<SkipReason, 'not-ours'>, number>;
}

/**
 * `oci-gitops validate [--live] [--format text|json|sarif] <files or folders…>`: the editor's
 * schema and rule checks (and, with --live, its registry checks); exit 1 when any error is found.
 * Helm templates are skipped (and counted), files named as patches by a kustomization are checked
 * as partial objects, and a file too large to validate that may hold our kinds is an error.
 */
export async function validateCommand(positionals: string[], options: CommonOptions, io: CliIo): Promise<number | void> {
  if (positionals.length === 0) throw new UsageError('validate takes one or more files or folders');
  const format = options.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`validate --format takes text, json or sarif; got "${format}"`);
  const files = new Set<string>();
  const kustomizations = new Set<string>();
  for (const target of positionals) await collect(target, files, kustomizations);
  const kustomize = new KustomizeIndex();
  for (const path of kustomizations) kustomize.add(path, await readFile(path, 'utf8'));
  // A kustomization above a target may name files in it as patches.
  for (const target of positionals) kustomize.addAround(target, readTextSync);
  const tally: Tally = { files: files.size, ours: 0, skipped: { 'chart-template': 0, 'template-actions': 0 } };
  // Each file in order: its text to validate, or (too large) the finding that says so.
  const plan = new Map<string, string | Finding>();
  for (const file of [...files].sort()) {
    if ((await stat(file)).size > MAX_VALIDATED_BYTES) {
      if (await largeFileMayHoldOurKinds(file)) {
        plan.set(file, {
          file,
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 1,
          severity: 'error',
          code: 'YAML002',
          message: `Not validated: the file is over ${MAX_VALIDATED_BYTES / 1048576} MiB and names Flux or Argo CD kinds; split it into smaller files so they can be checked`,
        });
      }
      continue;
    }
    const text = await readFile(file, 'utf8');
    const reason = skipReason(text, file, existsSync);
    if (reason === 'not-ours') continue;
    if (reason) tally.skipped[reason]++;
    else plan.set(file, text);
  }
  tally.ours = plan.size;
  // References (Kustomization sourceRef, HelmRelease chartRef) resolve across every file given.
  const sources = indexSources([...plan.values()].filter((t): t is string => typeof t === 'string'));
  const validator = new GitOpsValidator();
  const client = options.live ? liveClient(options, io) : undefined;
  const findings: Finding[] = [];
  try {
    for (const [file, text] of plan) {
      if (typeof text !== 'string') {
        findings.push(text);
        continue;
      }
      const role = kustomize.roleOf(file);
      const found = await validator.validate(text, sources, undefined, role);
      if (client) {
        const live = await checkLive(text, {
          repository: (host, repository) => client.repository(parseReference(`${host}/${repository}`)),
          trustFor: (target) => trustBesideManifest(file, target),
          ...(role ? { role } : {}),
        });
        found.push(...live.diagnostics);
        found.sort((a, b) => a.start - b.start);
      }
      toFindings(file, text, found, findings);
    }
  } finally {
    await client?.close();
  }
  report(findings, tally, format, io);
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

function toFindings(file: string, text: string, found: Diagnostic[], findings: Finding[]): void {
  for (const d of found) {
    const start = lineColumn(text, d.start);
    const end = lineColumn(text, d.end);
    findings.push({
      file,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      severity: d.severity,
      code: d.code,
      message: d.message,
    });
  }
}

/** Registry access for --live: Docker's credentials, and the TLS options for every registry named. */
function liveClient(options: CommonOptions, io: CliIo): OciClient {
  return new OciClient({
    credentials: new ChainedCredentials([new DockerConfigCredentials({ configPath: options.dockerConfig, env: io.env })]),
    settingsFor: () => ({ insecure: options.insecure, caFile: options.caFile, tokenRealms: options.allowTokenRealms }),
    userAgent: 'oci-gitops-cli',
    ...(options.timeoutSeconds ? { timeoutMs: options.timeoutSeconds * 1000 } : {}),
  });
}

function report(findings: Finding[], tally: Tally, format: string, io: CliIo): void {
  if (format === 'json') io.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
  else if (format === 'sarif') io.stdout.write(`${JSON.stringify(sarif(findings), null, 2)}\n`);
  else for (const f of findings) line(io.stdout, `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.code}: ${f.message}`);
  // The summary goes to stderr in every format, so stdout stays the findings alone.
  const errors = findings.filter((f) => f.severity === 'error').length;
  const others = findings.length - errors;
  line(
    io.stderr,
    `${plural(tally.files, 'YAML file')} read, ${tally.ours} with Flux or Argo CD kinds checked: ${plural(errors, 'error')}, ${plural(others, 'other finding')}`,
  );
  const { 'chart-template': inCharts, 'template-actions': withActions } = tally.skipped;
  if (inCharts + withActions > 0) {
    const why = [
      ...(inCharts > 0 ? [`${inCharts} in a chart's templates/ folder`] : []),
      ...(withActions > 0 ? [`${inCharts > 0 ? withActions : plural(withActions, 'file')} with {{ }} template actions`] : []),
    ];
    line(
      io.stderr,
      `Skipped ${plural(inCharts + withActions, 'Helm template')} (${why.join(', ')}): Helm renders them before they are YAML. To check what a chart renders, run helm template --output-dir <folder> and validate that folder.`,
    );
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
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

function readTextSync(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function sarif(findings: Finding[]): object {
  const rules = [...new Set(findings.map((f) => f.code))].map((id) => ({ id }));
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'oci-gitops', informationUri: 'https://github.com/', rules } },
        results: findings.map((f) => ({
          ruleId: f.code,
          level: f.severity === 'info' ? 'note' : f.severity,
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
}
