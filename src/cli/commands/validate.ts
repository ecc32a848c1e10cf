import { validateFiles, type Finding, type Tally } from '../../gitops/validateFiles';
import { OciClient } from '../../oci';
import { dockerThenCloud } from '../clientFromOptions';
import { line, type CliIo } from '../io';
import type { Options } from '../commandLine/flag';
import type { validateFlags } from '../commandLine/validate';
import { UsageError } from '../usage';

type ValidateOptions = Options<typeof validateFlags>;
/**
 * `oci-gitops validate [--live] [--format text|json|sarif] <files or folders…>`: the editor's
 * schema and rule checks (and, with --live, its registry checks); exit 1 when any error is found.
 * Helm templates are skipped (and counted), files named as patches by a kustomization are checked
 * as partial objects, and a file too large to validate that may hold our kinds is an error.
 */
export async function validateCommand(positionals: string[], options: ValidateOptions, io: CliIo): Promise<number | void> {
  if (positionals.length === 0) throw new UsageError('validate takes one or more files or folders');
  const format = options.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`validate --format takes text, json or sarif; got "${format}"`);
  const client = options.live ? liveClient(options, io) : undefined;
  try {
    const { findings, tally } = await validateFiles(positionals, {
      ...(client ? { live: { repository: (ref) => client.repository(ref) } } : {}),
    });
    report(findings, tally, format, io);
    return findings.some((f) => f.severity === 'error') ? 1 : 0;
  } finally {
    await client?.close();
  }
}

/** Registry access for --live: Docker's credentials, and the TLS options for every registry named. */
function liveClient(options: ValidateOptions, io: CliIo): OciClient {
  return new OciClient({
    credentials: dockerThenCloud(options['docker-config'], io),
    settingsFor: () => ({ insecure: options.insecure, caFile: options['ca-file'], tokenRealms: options['allow-token-realm'] }),
    userAgent: 'oci-gitops-cli',
    ...(options.timeout ? { timeoutMs: options.timeout * 1000 } : {}),
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
  if (tally.unreadable.length > 0)
    line(
      io.stderr,
      `Not read as YAML: ${plural(tally.unreadable.length, 'file')} (${tally.unreadable.map((u) => `${u.file}: ${u.why}`).join('; ')}); they hold no Flux or Argo CD kind we could see`,
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
