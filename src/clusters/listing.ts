import type { KubeConfig } from '@kubernetes/client-node';
import { collectionPath, type ClusterKind } from './kinds';
import { KubeApiError, kubeRequest } from './kubeApi';

/** An object as the API server lists it, read loosely: the fields we use are checked where read. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export interface KindListing {
  items: KubeObject[];
  /** The kind is not served (its CRD is not installed at any version we know). */
  missing: boolean;
  /** Namespaces whose list answered 403. */
  forbidden: string[];
}

export interface ListScope {
  config: KubeConfig;
  signal: AbortSignal;
  /** The namespaces to read one by one when a list across namespaces is forbidden (asked once per read). */
  namespaces: () => Promise<string[]>;
}

/**
 * Every object of a kind the user may read: one list across namespaces, or, when RBAC forbids that
 * (a user bound by Roles only), one list per namespace, each forbidden namespace noted rather than
 * failing the whole read. A version the server does not serve (404) is skipped for the next.
 */
export async function listKind(kind: ClusterKind, scope: ListScope): Promise<KindListing> {
  for (const version of kind.versions) {
    try {
      const list = (await kubeRequest(scope.config, collectionPath(kind, version), { signal: scope.signal })) as ListBody;
      return { items: itemsOf(list, kind, version), missing: false, forbidden: [] };
    } catch (error) {
      if (isStatus(error, 404)) continue;
      if (!isStatus(error, 403)) throw error;
      return listPerNamespace(kind, version, scope);
    }
  }
  return { items: [], missing: true, forbidden: [] };
}

async function listPerNamespace(kind: ClusterKind, version: string, scope: ListScope): Promise<KindListing> {
  const answers = await Promise.all(
    (await scope.namespaces()).map(async (namespace) => {
      try {
        const list = (await kubeRequest(scope.config, collectionPath(kind, version, namespace), { signal: scope.signal })) as ListBody;
        return { namespace, items: itemsOf(list, kind, version), forbidden: false };
      } catch (error) {
        if (isStatus(error, 403)) return { namespace, items: [], forbidden: true };
        if (isStatus(error, 404)) return { namespace, items: [], forbidden: false };
        throw error;
      }
    }),
  );
  return { items: answers.flatMap((a) => a.items), missing: false, forbidden: answers.filter((a) => a.forbidden).map((a) => a.namespace) };
}

/** The namespaces of the cluster, or the context's own when listing them is forbidden too. */
export async function readableNamespaces(config: KubeConfig, signal: AbortSignal, fallback: string): Promise<string[]> {
  try {
    const list = (await kubeRequest(config, '/api/v1/namespaces', { signal })) as ListBody;
    return (list.items ?? []).map((n) => n.metadata.name).sort();
  } catch (error) {
    if (isStatus(error, 403)) return [fallback];
    throw error;
  }
}

interface ListBody {
  items?: KubeObject[];
}

function itemsOf(list: ListBody, kind: ClusterKind, version: string): KubeObject[] {
  // Lists of built-in kinds leave apiVersion out of their items; set it so a patch knows its path.
  return (list.items ?? []).map((item) => ({
    ...item,
    apiVersion: item.apiVersion ?? `${kind.group}/${version}`,
    kind: item.kind ?? kind.kind,
  }));
}

export function isStatus(error: unknown, status: number): boolean {
  return error instanceof KubeApiError && error.status === status;
}
