// Kubernetes objects shaped as the Flux and Argo CD controllers write them, for the API double
// (kubeApiDouble.ts). Each status field follows the controller that sets it:
// - source-controller (fluxcd/source-controller v1.9, internal/controller/ocirepository_controller.go,
//   getRevision): status.artifact.revision is `<tag>@sha256:<manifest digest>`, or the bare digest
//   when spec.ref.digest pins it; status.artifact.digest is the digest of the stored tarball, not of
//   the manifest. Conditions (api/v1/condition_types.go and fluxcd/pkg/apis/meta): Ready,
//   ArtifactInStorage, SourceVerified (only when spec.verify is set).
// - kustomize-controller (api/v1/kustomization_types.go): status.lastAppliedRevision and
//   lastAttemptedRevision carry the source's artifact revision; Ready condition.
// - helm-controller (api/v2/snapshot_types.go): status.history[] newest first, each a Snapshot with
//   chartName, chartVersion, configDigest, digest, status, version, and ociDigest when the chart
//   came from an OCIRepository (chartRef).
// - Argo CD (pkg/apis/application/v1alpha1/types.go): status.sync.{status,revision,revisions},
//   status.health.status, status.reconciledAt, status.operationState.{phase,finishedAt}; for an
//   OCI source the sync revision is the resolved manifest digest (docs/user-guide/oci.md).
// - source-watcher (fluxcd/source-watcher docs/spec/v1beta1/artifactgenerators.md): an
//   ArtifactGenerator lists the ExternalArtifacts it generated in status.inventory[] (name,
//   namespace, digest, filename); each ExternalArtifact's status.artifact.revision is
//   `latest@sha256:<hash of its files>`, or the revision of the source named by the generator's
//   `revision: "@<alias>"`; its spec.sourceRef names the generator (RFC-0012 external artifacts).
// - kubelet: a Pod's image volume (spec.volumes[].image.reference, Kubernetes 1.31+) is reported in
//   status.containerStatuses[].volumeMounts[].volumeStatus.image.imageRef (`<repo>@sha256:…`) only
//   with ImageVolumeWithDigest (KEP-5365, Kubernetes 1.35 alpha); an older kubelet reports nothing.
// The field names are the ones of the vendored CRDs in test/fixtures/crds/.

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; [key: string]: unknown };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export const RECONCILED_AT = '2026-12-06T09:30:00Z';

function condition(type: string, ok: boolean, reason: string, message: string, at = RECONCILED_AT) {
  return { type, status: ok ? 'True' : 'False', observedGeneration: 1, lastTransitionTime: at, reason, message };
}

export interface OciRepositoryShape {
  namespace: string;
  name: string;
  /** `registry/repository`, without `oci://`. */
  repository: string;
  tag?: string;
  semver?: string;
  /** The manifest digest the controller last fetched (sha256:…); none: not yet reconciled. */
  digest?: string;
  ready?: boolean;
  /** Set spec.verify (cosign) and report SourceVerified with this outcome. */
  verified?: boolean;
}

export function ociRepository(shape: OciRepositoryShape): KubeObject {
  const ref = shape.semver ? { semver: shape.semver } : { tag: shape.tag ?? 'latest' };
  const status: Record<string, unknown> = { observedGeneration: 1, url: `http://source-controller.flux-system.svc/ocirepository/x.tar.gz` };
  const conditions = [];
  if (shape.digest) {
    const tag = shape.tag ?? 'latest';
    const revision = `${tag}@${shape.digest}`;
    status.artifact = {
      path: `ocirepository/${shape.namespace}/${shape.name}/${shape.digest.slice(7)}.tar.gz`,
      url: `http://source-controller.flux-system.svc.cluster.local./ocirepository/${shape.namespace}/${shape.name}/x.tar.gz`,
      revision,
      digest: 'sha256:' + 'a'.repeat(64),
      lastUpdateTime: RECONCILED_AT,
      size: 1024,
      metadata: { 'org.opencontainers.image.revision': 'main@sha1:0123456789abcdef0123456789abcdef01234567' },
    };
    conditions.push(
      condition(
        'Ready',
        shape.ready ?? true,
        shape.ready === false ? 'OCIArtifactPullFailed' : 'Succeeded',
        `stored artifact for digest '${revision}'`,
      ),
      condition('ArtifactInStorage', true, 'Succeeded', `stored artifact for digest '${revision}'`),
    );
    if (shape.verified !== undefined)
      conditions.push(
        condition(
          'SourceVerified',
          shape.verified,
          shape.verified ? 'Succeeded' : 'VerificationError',
          shape.verified ? `verified signature of revision ${revision}` : 'no matching signatures were found',
        ),
      );
  } else {
    conditions.push(condition('Ready', false, 'ProgressingWithRetry', 'building artifact: new revision'));
  }
  status.conditions = conditions;
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'OCIRepository',
    metadata: { name: shape.name, namespace: shape.namespace, generation: 1 },
    spec: {
      interval: '5m',
      url: `oci://${shape.repository}`,
      ref,
      ...(shape.verified !== undefined ? { verify: { provider: 'cosign', secretRef: { name: 'cosign-pub' } } } : {}),
    },
    status,
  };
}

export function kustomization(shape: { namespace: string; name: string; source: string; revision?: string; ready?: boolean }): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: shape.name, namespace: shape.namespace, generation: 1 },
    spec: { interval: '10m', path: './', prune: true, sourceRef: { kind: 'OCIRepository', name: shape.source } },
    status: {
      observedGeneration: 1,
      ...(shape.revision ? { lastAppliedRevision: shape.revision, lastAttemptedRevision: shape.revision } : {}),
      conditions: [
        condition(
          'Ready',
          shape.ready ?? true,
          shape.ready === false ? 'BuildFailed' : 'ReconciliationSucceeded',
          `Applied revision: ${shape.revision ?? ''}`,
        ),
      ],
    },
  };
}

export function helmRepository(shape: { namespace: string; name: string; url: string }): KubeObject {
  // source-controller keeps no artifact for an OCI HelmRepository (the HelmChart made for each
  // HelmRelease resolves the chart), so its status carries nothing to compare.
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'HelmRepository',
    metadata: { name: shape.name, namespace: shape.namespace, generation: 1 },
    spec: { type: 'oci', interval: '10m', url: `oci://${shape.url}` },
    status: { observedGeneration: 1 },
  };
}

export function helmRelease(shape: {
  namespace: string;
  name: string;
  /** A chart from an OCI HelmRepository (chart.spec) … */
  helmRepository?: { name: string; chart: string; version: string };
  /** … or from an OCIRepository (chartRef). */
  ociRepository?: string;
  chartVersion: string;
  ociDigest?: string;
  ready?: boolean;
}): KubeObject {
  const chart = shape.helmRepository
    ? {
        chart: {
          spec: {
            chart: shape.helmRepository.chart,
            version: shape.helmRepository.version,
            sourceRef: { kind: 'HelmRepository', name: shape.helmRepository.name },
          },
        },
      }
    : { chartRef: { kind: 'OCIRepository', name: shape.ociRepository } };
  const chartName = shape.helmRepository?.chart ?? shape.name;
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: shape.name, namespace: shape.namespace, generation: 1 },
    spec: { interval: '10m', ...chart },
    status: {
      observedGeneration: 1,
      lastAttemptedRevision: shape.chartVersion,
      history: [
        {
          name: shape.name,
          namespace: shape.namespace,
          version: 2,
          status: 'deployed',
          chartName,
          chartVersion: shape.chartVersion,
          appVersion: shape.chartVersion,
          configDigest: 'sha256:' + 'c'.repeat(64),
          digest: 'sha256:' + 'd'.repeat(64),
          firstDeployed: RECONCILED_AT,
          lastDeployed: RECONCILED_AT,
          ...(shape.ociDigest ? { ociDigest: shape.ociDigest } : {}),
        },
      ],
      conditions: [condition('Ready', shape.ready ?? true, 'UpgradeSucceeded', `Helm upgrade succeeded for release ${shape.name}`)],
    },
  };
}

export function argoApplication(shape: {
  namespace: string;
  name: string;
  repository: string;
  targetRevision: string;
  digest?: string;
  health?: string;
  sync?: string;
}): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: shape.name, namespace: shape.namespace, generation: 3 },
    spec: {
      project: 'default',
      source: { repoURL: `oci://${shape.repository}`, targetRevision: shape.targetRevision, path: '.' },
      destination: { server: 'https://kubernetes.default.svc', namespace: shape.name },
    },
    status: {
      sync: {
        status: shape.sync ?? 'Synced',
        ...(shape.digest ? { revision: shape.digest } : {}),
        comparedTo: { source: { repoURL: `oci://${shape.repository}`, targetRevision: shape.targetRevision, path: '.' } },
      },
      health: { status: shape.health ?? 'Healthy', lastTransitionTime: RECONCILED_AT },
      reconciledAt: RECONCILED_AT,
      sourceType: 'Directory',
      ...(shape.digest
        ? {
            operationState: {
              phase: 'Succeeded',
              message: 'successfully synced (all tasks run)',
              startedAt: RECONCILED_AT,
              finishedAt: RECONCILED_AT,
              syncResult: {
                revision: shape.digest,
                source: { repoURL: `oci://${shape.repository}`, targetRevision: shape.targetRevision },
              },
            },
          }
        : {}),
    },
  };
}

export function pod(shape: { namespace: string; name: string }): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: shape.name, namespace: shape.namespace },
    spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] },
    status: { phase: 'Running' },
  };
}

export function artifactGenerator(shape: {
  namespace: string;
  name: string;
  /** The OCIRepository it builds from, under the alias `config`. */
  ociRepository: string;
  /** The ExternalArtifact it generates; with `revisionFromSource` it takes the OCIRepository's revision. */
  artifact: string;
  revisionFromSource?: boolean;
}): KubeObject {
  return {
    apiVersion: 'source.extensions.fluxcd.io/v1beta1',
    kind: 'ArtifactGenerator',
    metadata: { name: shape.name, namespace: shape.namespace, generation: 1 },
    spec: {
      sources: [{ alias: 'config', kind: 'OCIRepository', name: shape.ociRepository }],
      artifacts: [
        {
          name: shape.artifact,
          ...(shape.revisionFromSource ? { revision: '@config' } : {}),
          copy: [{ from: '@config/deploy/**', to: '@artifact/' }],
        },
      ],
    },
    status: {
      observedGeneration: 1,
      inventory: [{ name: shape.artifact, namespace: shape.namespace, digest: 'sha256:' + 'e'.repeat(64), filename: 'x.tar.gz' }],
      conditions: [condition('Ready', true, 'Succeeded', 'reconciliation succeeded, generated 1 artifact(s)')],
    },
  };
}

export function externalArtifact(shape: { namespace: string; name: string; generator: string; revision: string }): KubeObject {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'ExternalArtifact',
    metadata: { name: shape.name, namespace: shape.namespace, generation: 1 },
    spec: {
      sourceRef: {
        apiVersion: 'source.extensions.fluxcd.io/v1beta1',
        kind: 'ArtifactGenerator',
        name: shape.generator,
        namespace: shape.namespace,
      },
    },
    status: {
      artifact: {
        path: `externalartifact/${shape.namespace}/${shape.name}/x.tar.gz`,
        url: `http://source-watcher.flux-system.svc.cluster.local./externalartifact/${shape.namespace}/${shape.name}/x.tar.gz`,
        revision: shape.revision,
        digest: 'sha256:' + 'e'.repeat(64),
        lastUpdateTime: RECONCILED_AT,
        size: 512,
      },
      conditions: [condition('Ready', true, 'Succeeded', `stored artifact with revision '${shape.revision}'`)],
    },
  };
}

/** A running Pod that mounts an OCI artifact as an image volume; `imageRef` as the kubelet reports it, if it does. */
export function imageVolumePod(shape: { namespace: string; name: string; reference: string; imageRef?: string }): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: shape.name, namespace: shape.namespace },
    spec: {
      containers: [{ name: 'app', image: 'registry.example/app:1', volumeMounts: [{ name: 'config', mountPath: '/config' }] }],
      volumes: [{ name: 'config', image: { reference: shape.reference, pullPolicy: 'IfNotPresent' } }],
    },
    status: {
      phase: 'Running',
      startTime: RECONCILED_AT,
      conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: RECONCILED_AT }],
      containerStatuses: [
        {
          name: 'app',
          ready: true,
          image: 'registry.example/app:1',
          imageID: 'registry.example/app@sha256:' + 'f'.repeat(64),
          started: true,
          state: { running: { startedAt: RECONCILED_AT } },
          volumeMounts: [
            {
              name: 'config',
              mountPath: '/config',
              readOnly: true,
              ...(shape.imageRef ? { volumeStatus: { image: { imageRef: shape.imageRef } } } : {}),
            },
          ],
        },
      ],
    },
  };
}
