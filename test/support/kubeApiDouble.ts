// A loopback stand-in for a kube-apiserver, enough for kubectl and @kubernetes/client-node to read
// Flux and Argo CD objects: discovery (/api, /apis, /apis/<group>/<version>), list across or within
// namespaces, get, and merge patch. No kube-apiserver can be installed on the test machines, so
// its wire format is checked with Debian's kubectl as an independent client (test/clusters/
// kubeApiDouble.test.ts). It serves TLS only, because kubectl sends a bearer token over TLS only.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from './clusterObjects';
import { makeCertificates } from './tls';

interface Resource {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
}

/** The kinds served, at the versions Flux 2.9 (source-watcher v2.2 included) and Argo CD 3.x serve them. */
const RESOURCES: Resource[] = [
  { group: '', version: 'v1', plural: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'] },
  { group: '', version: 'v1', plural: 'pods', singular: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'] },
  {
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'ocirepositories',
    singular: 'ocirepository',
    kind: 'OCIRepository',
    namespaced: true,
    shortNames: ['ocirepo'],
  },
  {
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'helmrepositories',
    singular: 'helmrepository',
    kind: 'HelmRepository',
    namespaced: true,
    shortNames: ['helmrepo'],
  },
  {
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'externalartifacts',
    singular: 'externalartifact',
    kind: 'ExternalArtifact',
    namespaced: true,
  },
  {
    group: 'source.extensions.fluxcd.io',
    version: 'v1beta1',
    plural: 'artifactgenerators',
    singular: 'artifactgenerator',
    kind: 'ArtifactGenerator',
    namespaced: true,
  },
  {
    group: 'kustomize.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'kustomizations',
    singular: 'kustomization',
    kind: 'Kustomization',
    namespaced: true,
    shortNames: ['ks'],
  },
  {
    group: 'helm.toolkit.fluxcd.io',
    version: 'v2',
    plural: 'helmreleases',
    singular: 'helmrelease',
    kind: 'HelmRelease',
    namespaced: true,
    shortNames: ['hr'],
  },
  {
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'applications',
    singular: 'application',
    kind: 'Application',
    namespaced: true,
    shortNames: ['app', 'apps'],
  },
];

export interface KubeApiDoubleOptions {
  /** Names the certificate files; also the user name in 403 messages. */
  name: string;
  /** Where the certificates go. */
  dir: string;
  objects?: KubeObject[];
  /** The bearer tokens it accepts (default: `token-<name>`); a function decides per request. */
  acceptToken?: (token: string) => boolean;
  /** Namespaces this user may not read: their lists answer 403, and so does every list across namespaces. */
  forbiddenNamespaces?: string[];
}

export interface ApiRequest {
  method: string;
  path: string;
  token?: string;
}

export interface KubeApiDouble {
  /** `https://127.0.0.1:PORT` */
  url: string;
  caFile: string;
  token: string;
  objects: KubeObject[];
  requests: ApiRequest[];
  /** Serve again on the same port after stop(). */
  start(): Promise<void>;
  /** Close the port: clients then meet a refused connection. */
  stop(): Promise<void>;
}

export async function startKubeApiDouble(options: KubeApiDoubleOptions): Promise<KubeApiDouble> {
  const certificates = makeCertificates(options.dir, `kube-${options.name}`);
  const token = `token-${options.name}`;
  const acceptToken = options.acceptToken ?? ((t: string) => t === token);
  const forbidden = new Set(options.forbiddenNamespaces ?? []);
  const objects = options.objects ?? [];
  const requests: ApiRequest[] = [];
  let resourceVersion = 100;

  const server = createServer({ cert: readFileSync(certificates.certFile), key: readFileSync(certificates.keyFile) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', ...(bearer ? { token: bearer } : {}) });
      if (!bearer || !acceptToken(bearer)) return status(res, 401, 'Unauthorized', 'Unauthorized');
      handle(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });

  function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', 'https://double');
    const path = url.pathname.replace(/\/$/, '');
    if (path === '/version') return json(res, 200, { major: '1', minor: '34', gitVersion: 'v1.34.0-double', platform: 'linux/amd64' });
    if (path === '/api') return json(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (path === '/apis') return json(res, 200, groupList());
    const discovery = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (discovery) {
      const group = discovery[2] ?? '';
      const version = discovery[1] ?? discovery[3];
      const served = RESOURCES.filter((r) => r.group === group && r.version === version);
      if (served.length === 0) return status(res, 404, 'NotFound', 'the server could not find the requested resource');
      return json(res, 200, resourceList(group, version, served));
    }
    const match = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    const group = match?.[2] ?? '';
    const version = match?.[1] ?? match?.[3];
    const resource = match && RESOURCES.find((r) => r.group === group && r.version === version && r.plural === match[5]);
    if (!match || !resource) return status(res, 404, 'NotFound', 'the server could not find the requested resource');
    const namespace = match[4];
    const name = match[6];
    const verb = req.method === 'PATCH' ? 'patch' : name ? 'get' : 'list';
    if (req.method !== 'GET' && req.method !== 'PATCH') return status(res, 405, 'MethodNotAllowed', `${req.method} is not supported`);
    if (resource.namespaced && (namespace === undefined ? forbidden.size > 0 : forbidden.has(namespace)))
      return forbiddenStatus(res, resource, verb, namespace);
    const apiVersion = group ? `${group}/${version}` : version!;
    const ofKind = allObjects().filter((o) => o.kind === resource.kind && (namespace === undefined || o.metadata.namespace === namespace));
    if (!name) {
      if (req.method !== 'GET') return status(res, 405, 'MethodNotAllowed', 'a collection cannot be patched');
      return json(res, 200, {
        apiVersion,
        kind: `${resource.kind}List`,
        metadata: { resourceVersion: String(resourceVersion) },
        items: ofKind.map((o) => ({ ...o, apiVersion })),
      });
    }
    const object = ofKind.find((o) => o.metadata.name === name);
    if (!object) return status(res, 404, 'NotFound', `${resource.plural}.${resource.group} "${name}" not found`, resource, name);
    if (req.method === 'PATCH') {
      if (!/^application\/merge-patch\+json/.test(req.headers['content-type'] ?? ''))
        return status(
          res,
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json`,
        );
      mergePatch(object as unknown as Record<string, unknown>, JSON.parse(body) as Record<string, unknown>);
      resourceVersion++;
      object.metadata.resourceVersion = String(resourceVersion);
    }
    return json(res, 200, { ...object, apiVersion });
  }

  /** The stored objects and one Namespace per namespace they are in (as the API server has them). */
  function allObjects(): KubeObject[] {
    const namespaces = [...new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => !!n))];
    return [
      ...namespaces.map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n }, status: { phase: 'Active' } })),
      ...objects,
    ];
  }

  function forbiddenStatus(res: ServerResponse, resource: Resource, verb: string, namespace: string | undefined): void {
    const what = resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
    const where = namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
    status(
      res,
      403,
      'Forbidden',
      `${what} is forbidden: User "${options.name}" cannot ${verb} resource "${resource.plural}" in API group "${resource.group}" ${where}`,
      resource,
    );
  }

  const listen = (port = 0) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  await listen();
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    caFile: certificates.caFile,
    token,
    objects,
    requests,
    start: () => listen(port),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function groupList() {
  const groups = [...new Set(RESOURCES.filter((r) => r.group).map((r) => `${r.group}/${r.version}`))].map((gv) => {
    const [name, version] = gv.split('/');
    return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
  });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

function resourceList(group: string, version: string, served: Resource[]) {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: served.map((r) => ({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: ['get', 'list', 'patch', 'watch'],
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.group ? { categories: [] } : {}),
    })),
  };
}

/** RFC 7386 JSON merge patch: null removes, objects merge, anything else replaces. */
function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else if (typeof value === 'object' && !Array.isArray(value)) {
      const current = target[key];
      const into = typeof current === 'object' && current !== null && !Array.isArray(current) ? (current as Record<string, unknown>) : {};
      mergePatch(into, value as Record<string, unknown>);
      target[key] = into;
    } else target[key] = value;
  }
}

function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A metav1.Status, the body every API server error carries. */
function status(res: ServerResponse, code: number, reason: string, message: string, resource?: Resource, name?: string): void {
  json(res, code, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(resource ? { details: { ...(name ? { name } : {}), group: resource.group, kind: resource.plural } } : {}),
    code,
  });
}

export interface KubeconfigContext {
  name: string;
  server: string;
  caFile: string;
  namespace?: string;
  /** A static bearer token … */
  token?: string;
  /** … or a client-go exec credential plugin. */
  exec?: { command: string; args?: string[]; env?: { name: string; value: string }[] };
}

/** A kubeconfig (JSON, which kubectl and client-node read as YAML) with one cluster and user per context. */
export function kubeconfig(contexts: KubeconfigContext[], current = contexts[0]?.name): string {
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': current,
      clusters: contexts.map((c) => ({ name: `${c.name}-cluster`, cluster: { server: c.server, 'certificate-authority': c.caFile } })),
      users: contexts.map((c) => ({
        name: `${c.name}-user`,
        user: c.exec
          ? { exec: { apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never', args: [], ...c.exec } }
          : { token: c.token },
      })),
      contexts: contexts.map((c) => ({
        name: c.name,
        context: { cluster: `${c.name}-cluster`, user: `${c.name}-user`, ...(c.namespace ? { namespace: c.namespace } : {}) },
      })),
    },
    null,
    2,
  );
}
