import { formatRepository, type Reference } from '../oci';

export interface ScaffoldOptions {
  /** Object name; defaults to the repository's last path component. */
  name?: string;
  namespace?: string;
  /** Pin by digest (safest) or follow the tag. */
  pin: 'digest' | 'tag';
  digest?: string;
  tag?: string;
  /** Allow plain HTTP (loopback test registries). */
  insecure?: boolean;
}

/** A Flux OCIRepository (plus the Kustomization that applies it) for an artifact, ready to commit. */
export function fluxOciRepositoryYaml(ref: Reference, options: ScaffoldOptions): string {
  const name = objectName(options.name ?? ref.repository.split('/').pop() ?? 'artifact');
  const namespace = options.namespace ?? 'flux-system';
  const refLines =
    options.pin === 'digest' && options.digest ? `    digest: ${options.digest}` : `    tag: ${options.tag ?? ref.tag ?? 'latest'}`;
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  interval: 5m
  url: oci://${formatRepository(ref)}
${options.insecure ? '  insecure: true\n' : ''}  ref:
${refLines}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  interval: 10m
  prune: true
  sourceRef:
    kind: OCIRepository
    name: ${name}
  path: ./
`;
}

/** An Argo CD Application for an artifact (Argo CD 3.1+ native OCI source). */
export function argoApplicationYaml(ref: Reference, options: ScaffoldOptions): string {
  const name = objectName(options.name ?? ref.repository.split('/').pop() ?? 'artifact');
  const revision = options.pin === 'digest' && options.digest ? options.digest : (options.tag ?? ref.tag ?? 'latest');
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: ${options.namespace ?? 'argocd'}
spec:
  project: default
  source:
    repoURL: oci://${formatRepository(ref)}
    targetRevision: ${revision}
    path: .
  destination:
    server: https://kubernetes.default.svc
    namespace: ${name}
  syncPolicy:
    syncOptions:
      - CreateNamespace=true
`;
}

/** Kubernetes object names: lowercase alphanumerics and "-", at most 63 characters. */
function objectName(text: string): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  return cleaned || 'artifact';
}
