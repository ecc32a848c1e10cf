import * as vscode from 'vscode';
import { parseAllDocuments } from 'yaml';
import type { ContextReading } from '../../clusters/model';
import { clusterReadings } from './clusterReadings';

/** An OCIRepository declared in a YAML document: where its metadata sits, and its namespace and name. */
interface Declared {
  line: number;
  namespace: string;
  name: string;
}

function declaredOciRepositories(text: string): Declared[] {
  if (!/kind:\s*OCIRepository/.test(text)) return [];
  const found: Declared[] = [];
  for (const doc of parseAllDocuments(text)) {
    const value = doc.toJS({ maxAliasCount: 100 }) as {
      kind?: unknown;
      apiVersion?: unknown;
      metadata?: { name?: unknown; namespace?: unknown };
    } | null;
    if (
      !value ||
      value.kind !== 'OCIRepository' ||
      typeof value.apiVersion !== 'string' ||
      !value.apiVersion.startsWith('source.toolkit.fluxcd.io/')
    )
      continue;
    const name = value.metadata?.name;
    if (typeof name !== 'string') continue;
    const namespace = typeof value.metadata?.namespace === 'string' ? value.metadata.namespace : 'default';
    const offset = doc.range?.[0] ?? 0;
    found.push({ line: text.slice(0, offset).split('\n').length - 1, namespace, name });
  }
  return found;
}

/** What each context runs for the OCIRepository of this namespace and name: "prod-eu: 1.2.0@sha256:2222…". */
export function revisionsByContext(readings: readonly ContextReading[], namespace: string, name: string): string[] {
  return readings.flatMap((r) => {
    const source = r.sources.find((s) => s.kind === 'OCIRepository' && s.namespace === namespace && s.name === name);
    if (!source) return [];
    const revision = source.revision?.replace(/sha256:([a-f0-9]{12})[a-f0-9]{52}/, 'sha256:$1') ?? 'no revision yet';
    return [`${r.context}: ${revision}${source.ready && source.ready.status !== 'True' ? ' (not Ready)' : ''}`];
  });
}

/**
 * A CodeLens over each OCIRepository of an open YAML file: the revision each context runs for the
 * object of the same namespace and name, from the Clusters view's latest readings (it reads no
 * cluster itself, so it shows once the view has been opened).
 */
export class OciRepositoryLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly listening = clusterReadings.onDidChange(() => this.changed.fire());

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const readings = clusterReadings.readings;
    if (readings.length === 0) return [];
    return declaredOciRepositories(document.getText()).flatMap((d) => {
      const runs = revisionsByContext(readings, d.namespace, d.name);
      if (runs.length === 0) return [];
      const range = new vscode.Range(d.line, 0, d.line, 0);
      return [
        new vscode.CodeLens(range, {
          title: `$(server-environment) ${runs.join(' · ')}`,
          command: 'ociGitops.clusters.focus',
          tooltip: 'Show the Clusters view',
        }),
      ];
    });
  }

  dispose(): void {
    this.listening.dispose();
    this.changed.dispose();
  }
}
