import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { consumersOf } from '../../src/gitops/impact/consumers';
import { loadWorkspace } from '../../src/gitops/impact/workspace';
import { workspace } from './workspaceFixtures';

async function consumers(files: Record<string, string>, registry: string, repository: string) {
  const dir = workspace(files);
  const found = consumersOf(await loadWorkspace({ files: [dir] }), { registry, repository });
  return {
    dir,
    list: found.consumers.map((c) => ({
      ...c.consumer,
      declaredAt: { ...c.consumer.declaredAt, file: c.consumer.declaredAt.file.slice(dir.length + 1) },
    })),
    skipped: found.skipped,
  };
}

describe('the consumers of a repository in a workspace', () => {
  test('an OCI HelmRepository and a HelmRelease chart consume <url>/<chart>, picking by chart version range', async () => {
    const { list } = await consumers(
      {
        'infra/podinfo.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: podinfo
  namespace: apps
spec:
  type: oci
  interval: 5m
  url: oci://ghcr.io/stefanprodan/charts
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: podinfo
      version: ">=6.0.0 <7.0.0"
      sourceRef:
        kind: HelmRepository
        name: podinfo
`,
      },
      'ghcr.io',
      'stefanprodan/charts/podinfo',
    );
    assert.deepEqual(list, [
      {
        kind: 'HelmRelease',
        name: 'podinfo',
        namespace: 'apps',
        declaredAt: { file: 'infra/podinfo.yaml', line: 21 },
        registry: 'ghcr.io',
        repository: 'stefanprodan/charts/podinfo',
        selector: { type: 'semver', range: '>=6.0.0 <7.0.0' },
      },
    ]);
  });

  test('a FluxInstance syncing from an OCIRepository consumes its url, following its ref as a tag', async () => {
    const { list } = await consumers(
      {
        'flux-instance.yaml': `apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata:
  name: flux
  namespace: flux-system
spec:
  distribution:
    version: "2.x"
    registry: "ghcr.io/fluxcd"
  sync:
    kind: OCIRepository
    url: "oci://ghcr.io/org/fleet"
    ref: "prod"
    path: "clusters/prod"
`,
      },
      'ghcr.io',
      'org/fleet',
    );
    assert.deepEqual(
      list.map((c) => [c.kind, c.name, c.selector]),
      [['FluxInstance', 'flux', { type: 'tag', tag: 'prod' }]],
    );
  });

  test('Argo CD multi-source Applications and ApplicationSet templates with literal sources', async () => {
    const { list } = await consumers(
      {
        'argo/app.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: guestbook
  namespace: argocd
spec:
  project: default
  sources:
    - repoURL: oci://ghcr.io/org/guestbook
      targetRevision: ">=1.0.0 <2.0.0"
      path: .
    - repoURL: oci://ghcr.io/org/other
      targetRevision: 1.0.0
      path: .
  destination:
    server: https://kubernetes.default.svc
    namespace: guestbook
`,
        'argo/set.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook-clusters
  namespace: argocd
spec:
  generators:
    - list:
        elements:
          - cluster: staging
  template:
    metadata:
      name: "guestbook-{{cluster}}"
    spec:
      project: default
      source:
        repoURL: oci://ghcr.io/org/guestbook
        targetRevision: sha256:${'a'.repeat(64)}
        path: .
      destination:
        server: https://kubernetes.default.svc
        namespace: guestbook
`,
      },
      'ghcr.io',
      'org/guestbook',
    );
    assert.deepEqual(
      list.map((c) => [c.kind, c.name, c.selector, c.declaredAt.line]),
      [
        ['Application', 'guestbook', { type: 'semver', range: '>=1.0.0 <2.0.0' }, 10],
        ['ApplicationSet', 'guestbook-clusters', { type: 'digest', digest: `sha256:${'a'.repeat(64)}` }, 18],
      ],
    );
  });

  test("image volumes of Pods and workloads consume their image, Docker Hub's short names included", async () => {
    const { list } = await consumers(
      {
        'workloads.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: reader
spec:
  containers:
    - name: app
      image: busybox
  volumes:
    - name: data
      image:
        reference: docker.io/library/nginx:1.27
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
  namespace: jobs
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: job
              image: busybox
          volumes:
            - name: data
              image:
                reference: nginx
`,
      },
      'registry-1.docker.io',
      'library/nginx',
    );
    assert.deepEqual(
      list.map((c) => [c.kind, c.name, c.selector]),
      [
        ['Pod', 'reader', { type: 'tag', tag: '1.27' }],
        ['CronJob', 'nightly', { type: 'latest' }],
      ],
    );
  });

  test('a kustomization namespace reaches the consumer, and a postBuild variable in its url is named as skipped', async () => {
    const { list, skipped } = await consumers(
      {
        'apps/kustomization.yaml':
          'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: prod\nresources:\n  - source.yaml\n  - templated.yaml\n',
        'apps/source.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: app
spec:
  interval: 5m
  url: oci://ghcr.io/org/app
  ref:
    tag: prod
`,
        'apps/templated.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: templated
spec:
  interval: 5m
  url: oci://\${registry}/org/app
  ref:
    tag: prod
`,
      },
      'ghcr.io',
      'org/app',
    );
    assert.deepEqual(
      list.map((c) => [c.name, c.namespace]),
      [['app', 'prod']],
    );
    assert.equal(skipped.length, 1);
    assert.match(skipped[0].reason, /OCIRepository prod\/templated names its repository with a postBuild variable/);
  });
});
