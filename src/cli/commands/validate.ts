import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic } from '../../gitops/diagnostic';
import { indexSources, lineColumn } from '../../gitops/engine';
import { checkLive } from '../../gitops/live/liveCheck';
import { trustBesideManifest } from '../../gitops/live/workspaceTrust';
import { GitOpsValidator } from '../../gitops/validator';
import { ChainedCredentials, DockerConfigCredentials, OciClient, OciError } from '../../oci';
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

/**
 * `oci-gitops validate [--live] [--format text|json|sarif] <files or folders…>`: the editor's
 * schema and rule checks (and, with --live, its registry checks); exit 1 when any error is found.
 */
export async function validateCommand(positionals: string[], options: CommonOptions, io: CliIo): Promise<number | void> {
  if (positionals.length === 0) throw new UsageError('validate takes one or more files or folders');
  const format = options.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`validate --format takes text, json or sarif; got "${format}"`);
  const files: string[] = [];
  for (const target of positionals) files.push(...(await yamlFiles(target)));
  const findings: Finding[] = [];
  const texts = new Map<string, string>();
  for (const file of files.sort()) texts.set(file, await readFile(file, 'utf8'));
  // References (Kustomization sourceRef, HelmRelease chartRef) resolve across every file given.
  const sources = indexSources([...texts.values()]);
  const validator = new GitOpsValidator();
  const client = options.live ? liveClient(options, io) : undefined;
  try {
    for (const [file, text] of texts) {
      const found = await validator.validate(text, sources);
      if (client) {
        const live = await checkLive(text, { repository: (host, repository) => client.repository(`${host}/${repository}`), trustFor: (target) => trustBesideManifest(file, target) });
        found.push(...live.diagnostics);
        found.sort((a, b) => a.start - b.start);
      }
      collect(file, text, found, findings);
    }
  } finally {
    await client?.close();
  }
  report(findings, files.length, format, io);
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

function collect(file: string, text: string, found: Diagnostic[], findings: Finding[]): void {
  for (const d of found) {
    const start = lineColumn(text, d.start);
    const end = lineColumn(text, d.end);
    findings.push({ file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, severity: d.severity, code: d.code, message: d.message });
  }
}

/** Registry access for --live: Docker's credentials, and the TLS options for every registry named. */
function liveClient(options: CommonOptions, io: CliIo): OciClient {
  return new OciClient({
    credentials: new ChainedCredentials([new DockerConfigCredentials({ configPath: options.dockerConfig, env: io.env })]),
    settingsFor: () => ({ insecure: options.insecure, caFile: options.caFile }),
    userAgent: 'oci-gitops-cli',
  });
}

function report(findings: Finding[], fileCount: number, format: string, io: CliIo): void {
  if (format === 'json') io.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
  else if (format === 'sarif') io.stdout.write(`${JSON.stringify(sarif(findings), null, 2)}\n`);
  else {
    for (const f of findings) line(io.stdout, `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.code}: ${f.message}`);
    const errors = findings.filter((f) => f.severity === 'error').length;
    line(io.stderr, `${fileCount} file${fileCount === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} other finding${findings.length - errors === 1 ? '' : 's'}`);
  }
}

async function yamlFiles(target: string): Promise<string[]> {
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new OciError('PROTOCOL', `${target} does not exist`);
  if (info.isFile()) return [target];
  const out: string[] = [];
  for (const entry of await readdir(target, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(target, entry.name);
    if (entry.isDirectory()) out.push(...(await yamlFiles(path)));
    else if (/\.ya?ml$/i.test(entry.name)) out.push(path);
  }
  return out;
}

function sarif(findings: Finding[]): object {
  const rules = [...new Set(findings.map((f) => f.code))].map((id) => ({ id }));
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{
      tool: { driver: { name: 'oci-gitops', informationUri: 'https://github.com/', rules } },
      results: findings.map((f) => ({
        ruleId: f.code,
        level: f.severity === 'info' ? 'note' : f.severity,
        message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: f.file }, region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn } } }],
      })),
    }],
  };
}
