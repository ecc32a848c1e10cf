import * as vscode from 'vscode';
import type { ClusterReader } from '../../clusters/clusterReader';
import type { ContextReading } from '../../clusters/model';
import { errorMessage } from '../../text/format';
import { isRestricted } from '../restrictedMode';
import type { ClusterNode, ContextNode, SourceNode } from './clusterNodes';
import { sourceDetails } from './clusterDetails';
import { clusterItem } from './clusterItems';
import { clusterReadings } from './clusterReadings';

/**
 * The Clusters view: every kubeconfig context, each read on its own (one slow cluster shows as
 * loading while the others fill in), its OCI sources, and under each what it runs. Every reading
 * is published to clusterReadings for the Registries view and the CodeLens.
 */
export class ClustersTreeProvider implements vscode.TreeDataProvider<ClusterNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ClusterNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private contexts?: Promise<ClusterNode[]>;

  constructor(
    private readonly reader: () => ClusterReader,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  getTreeItem(node: ClusterNode): vscode.TreeItem {
    return clusterItem(node);
  }

  getParent(node: ClusterNode): ClusterNode | undefined {
    return node.kind === 'context' ? undefined : node.parent;
  }

  async getChildren(node?: ClusterNode): Promise<ClusterNode[]> {
    // kubeconfig exec plugins run programs: nothing is read until the workspace is trusted.
    if (isRestricted()) return [];
    if (!node) return (this.contexts ??= this.readContexts());
    if (node.kind === 'context') return this.sourcesOf(node);
    if (node.kind === 'source') return sourceDetails(node);
    return [];
  }

  /** Forgets every reading (and the kubeconfig) and reads again. */
  refresh(): void {
    this.reader().refresh();
    this.contexts = undefined;
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }

  private async readContexts(): Promise<ClusterNode[]> {
    try {
      const contexts = (await this.reader().contexts()).map((c): ContextNode => ({
        kind: 'context',
        name: c.name,
        ...(c.server ? { server: c.server } : {}),
      }));
      // All contexts are read at once in the background, each published as it arrives.
      void this.reader()
        .read()
        .then((readings) => {
          for (const node of contexts) node.reading = readings.find((r) => r.context === node.name);
          for (const r of readings) if (r.error) this.log.warn(`Clusters: context ${r.context} not read: ${r.error}`);
          clusterReadings.set(readings);
          for (const node of contexts) this.changed.fire(node);
        });
      return contexts;
    } catch (error) {
      this.log.warn(`Clusters: ${errorMessage(error)}`);
      return [{ kind: 'note', label: errorMessage(error), icon: 'warning' }];
    }
  }

  private async sourcesOf(node: ContextNode): Promise<ClusterNode[]> {
    const reading = (node.reading ??= await this.reader().readContext(node.name));
    if (reading.error)
      return [{ kind: 'note', parent: node, label: `Not read: ${reading.error}`, icon: 'debug-disconnect', tooltip: reading.error }];
    const notes: ClusterNode[] = reading.forbidden.map((f) => ({
      kind: 'note',
      parent: node,
      label: `${f.namespace}: forbidden`,
      icon: 'lock',
      tooltip: `This user may not list ${f.kinds.join(', ')} in the namespace ${f.namespace}`,
    }));
    const sources: SourceNode[] = reading.sources.map((source) => ({ kind: 'source', parent: node, source }));
    if (sources.length === 0 && notes.length === 0)
      notes.push({
        kind: 'note',
        parent: node,
        label: isWithoutGitOps(reading) ? 'Neither Flux nor Argo CD is installed' : 'No OCI sources',
        icon: 'info',
      });
    return [...sources, ...notes];
  }
}

/** Pods are always served: a cluster is without Flux and Argo CD when neither's sources are. */
const isWithoutGitOps = (reading: ContextReading) => ['OCIRepository', 'Application'].every((k) => reading.missingKinds.includes(k));
