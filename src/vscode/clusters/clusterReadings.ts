import * as vscode from 'vscode';
import type { ContextReading } from '../../clusters/model';

/**
 * The latest readings of the clusters, shared by the Clusters view (which reads them), the
 * Registries view (which marks the tags that run) and the CodeLens on OCIRepositories. Nothing here
 * reads a cluster: until the Clusters view has been shown, there is nothing to mark.
 */
class ClusterReadings implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private current: readonly ContextReading[] = [];

  get readings(): readonly ContextReading[] {
    return this.current;
  }

  set(readings: readonly ContextReading[]): void {
    this.current = readings;
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export const clusterReadings = new ClusterReadings();
