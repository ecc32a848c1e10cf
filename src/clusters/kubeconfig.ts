import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type * as ClientNodeModule from '@kubernetes/client-node/dist/config.js';
import type { KubeConfig } from '@kubernetes/client-node';
import { errorMessage } from '../text/format';
import { ClusterError } from './errors';

/** One context of the user's kubeconfig, as a list shows it. */
export interface KubeContext {
  name: string;
  cluster: string;
  user: string;
  /** The API server URL; none when the context names a cluster the kubeconfig lacks. */
  server?: string;
  /** The context's default namespace: where a read falls back when namespaces cannot be listed. */
  namespace?: string;
}

export interface Kubeconfig {
  /** The files read, in order. */
  files: string[];
  contexts: KubeContext[];
  current?: string;
  /** A client configuration for one context alone (its own exec token cache, its own TLS agent). */
  configFor(context: string): KubeConfig;
}

export interface KubeconfigSource {
  /** A file, or a list of files as KUBECONFIG spells it; overrides the environment. */
  file?: string;
  env: NodeJS.ProcessEnv;
}

type ClientNode = typeof ClientNodeModule;

/**
 * The Kubernetes client's kubeconfig and auth, loaded on first use: nothing of it is read until a
 * cluster is. Only its KubeConfig module: the package's index adds every generated API (4.2 MB
 * bundled, against 1.3 MB), and the requests are our own (kubeApi.ts).
 */
export function loadClientNode(): Promise<ClientNode> {
  return import('@kubernetes/client-node/dist/config.js');
}

/** The files kubectl would read: the given list, else KUBECONFIG's, else ~/.kube/config. */
export function kubeconfigFiles(source: KubeconfigSource): string[] {
  const list = source.file ?? source.env.KUBECONFIG;
  if (list) return list.split(delimiter).filter((f) => f !== '');
  return [join(source.env.HOME ?? homedir(), '.kube', 'config')];
}

/**
 * Reads and merges the kubeconfig files as kubectl does: a KUBECONFIG list is read in order, missing
 * files are skipped, and where two files define the same cluster, user or context the first one wins
 * (client-node's own merge throws on a duplicate instead). current-context comes from the first file
 * that sets it.
 */
export async function loadKubeconfig(source: KubeconfigSource): Promise<Kubeconfig> {
  const k8s = await loadClientNode();
  const files = kubeconfigFiles(source).filter((f) => existsSync(f));
  if (files.length === 0)
    throw new ClusterError(
      `No kubeconfig found (looked at ${kubeconfigFiles(source).join(', ')}): set KUBECONFIG, pass --kubeconfig, or set oci-gitops.clusters.kubeconfig`,
    );
  const merged = new k8s.KubeConfig();
  merged.clusters = [];
  merged.users = [];
  merged.contexts = [];
  let current: string | undefined;
  for (const file of files) {
    const one = new k8s.KubeConfig();
    try {
      one.loadFromFile(file);
    } catch (error) {
      throw new ClusterError(`The kubeconfig ${file} cannot be read: ${errorMessage(error)}`, { cause: error });
    }
    for (const cluster of one.clusters) if (!merged.clusters.some((c) => c.name === cluster.name)) merged.clusters.push(cluster);
    for (const user of one.users) if (!merged.users.some((u) => u.name === user.name)) merged.users.push(user);
    for (const context of one.contexts) if (!merged.contexts.some((c) => c.name === context.name)) merged.contexts.push(context);
    if (current === undefined && one.currentContext) current = one.currentContext;
  }
  const configs = new Map<string, KubeConfig>();
  return {
    files,
    current,
    contexts: merged.contexts.map((c) => ({
      name: c.name,
      cluster: c.cluster,
      user: c.user,
      ...(merged.getCluster(c.cluster)?.server ? { server: merged.getCluster(c.cluster)!.server } : {}),
      ...(c.namespace ? { namespace: c.namespace } : {}),
    })),
    configFor(name) {
      let config = configs.get(name);
      if (config) return config;
      const context = merged.getContextObject(name);
      if (!context)
        throw new ClusterError(
          `The kubeconfig has no context "${name}" (it has ${merged.contexts.map((c) => c.name).join(', ') || 'none'})`,
        );
      const cluster = merged.getCluster(context.cluster);
      if (!cluster)
        throw new ClusterError(`The context "${name}" names the cluster "${context.cluster}", which the kubeconfig does not define`);
      const user = merged.getUser(context.user);
      config = new k8s.KubeConfig();
      config.loadFromOptions({ clusters: [cluster], users: user ? [user] : [], contexts: [context], currentContext: name });
      configs.set(name, config);
      return config;
    },
  };
}
