import * as vscode from 'vscode';
import { ClusterReader } from '../../clusters/clusterReader';
import type { ClusterSource } from '../../clusters/model';
import { reconcileAnnotation, isReconcilable } from '../../clusters/reconcile';
import { refuseWhileRestricted } from '../restrictedMode';
import type { ClusterNode } from './clusterNodes';
import { ClustersTreeProvider } from './ClustersTreeProvider';
import { clusterReadings } from './clusterReadings';
import { OciRepositoryLensProvider } from './ociRepositoryLens';

export interface ClusterServices {
  tree: ClustersTreeProvider;
  reader(): ClusterReader;
  reconcile(node: ClusterNode | undefined): Promise<void>;
}

/** The kubeconfig and timeout settings (user settings only: a kubeconfig names programs to run). */
export function clusterSettings(): { kubeconfig?: string; timeoutMs: number } {
  const config = vscode.workspace.getConfiguration('ociGitops.clusters');
  const kubeconfig = config.inspect<string>('kubeconfig')?.globalValue;
  const seconds = config.get<number>('timeoutSeconds', 10);
  return { ...(kubeconfig ? { kubeconfig } : {}), timeoutMs: Math.max(1, seconds) * 1000 };
}

/**
 * The Clusters view and its commands, created when the view first shows or a cluster command
 * first runs; the Kubernetes client loads with the first read.
 */
export function createClusterServices(extension: vscode.ExtensionContext, log: vscode.LogOutputChannel): ClusterServices {
  let reader: ClusterReader | undefined;
  const current = (): ClusterReader => {
    if (!reader) {
      const settings = clusterSettings();
      reader = new ClusterReader({
        ...(settings.kubeconfig ? { file: settings.kubeconfig } : {}),
        env: process.env,
        timeoutMs: settings.timeoutMs,
      });
    }
    return reader;
  };
  const tree = new ClustersTreeProvider(current, log);
  const lenses = new OciRepositoryLensProvider();
  extension.subscriptions.push(
    tree,
    clusterReadings,
    lenses,
    vscode.languages.registerCodeLensProvider({ language: 'yaml' }, lenses),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('ociGitops.clusters')) return;
      reader = undefined;
      tree.refresh();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => tree.refresh()),
  );
  return { tree, reader: current, reconcile: (node) => reconcile(current(), tree, log, node) };
}

/**
 * Reconcile now, after a modal confirmation that names the context and the object: the only write
 * to a cluster (one annotation, Flux's requestedAt or Argo CD's refresh).
 */
async function reconcile(
  reader: ClusterReader,
  tree: ClustersTreeProvider,
  log: vscode.LogOutputChannel,
  node: ClusterNode | undefined,
): Promise<void> {
  refuseWhileRestricted('Reconcile now');
  if (node?.kind !== 'source') throw new Error('Choose a Flux source or an Argo CD Application in the Clusters view to reconcile.');
  const source: ClusterSource = node.source;
  if (!isReconcilable(source.kind))
    throw new Error(`A ${source.kind} is not reconciled on request; reconcile the HelmRelease that uses it.`);
  const { key, value } = reconcileAnnotation(source.kind, new Date());
  const answer = await vscode.window.showWarningMessage(
    `Reconcile ${source.kind} ${source.namespace}/${source.name} in context ${source.context} now?`,
    {
      modal: true,
      detail: `This sets the annotation ${key}: ${source.kind === 'Application' ? value : '<now>'} on the object. Nothing else is written to the cluster.`,
    },
    'Reconcile',
  );
  if (answer !== 'Reconcile') return;
  const set = await reader.reconcile(source);
  log.info(`Clusters: set ${key}=${set} on ${source.kind} ${source.namespace}/${source.name} in ${source.context}`);
  void vscode.window.setStatusBarMessage(`Asked ${source.context} to reconcile ${source.kind} ${source.namespace}/${source.name}`, 4000);
  tree.refresh();
}
