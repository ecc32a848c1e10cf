import type { ClusterSource, ContextReading, Workload } from '../../clusters/model';

/** A kubeconfig context: its reading, once made. */
export interface ContextNode {
  kind: 'context';
  name: string;
  server?: string;
  reading?: ContextReading;
}

/** A Flux source or an Argo CD Application source in one context. */
export interface SourceNode {
  kind: 'source';
  parent: ContextNode;
  source: ClusterSource;
}

/** One fact of a source (revision, Ready, verification, last reconciled) or a workload applying it. */
export interface DetailNode {
  kind: 'detail';
  parent: SourceNode;
  label: string;
  value: string;
  icon: string;
  tooltip?: string;
  workload?: Workload;
}

/** A line under a context that is not a source: why it could not be read, a forbidden namespace. */
export interface NoteNode {
  kind: 'note';
  parent?: ContextNode;
  label: string;
  icon: string;
  tooltip?: string;
}

export type ClusterNode = ContextNode | SourceNode | DetailNode | NoteNode;
