import { generateKeyPairSync, sign } from 'node:crypto';
import { reproducibleGzip } from '../../src/artifact/gzip';
import { writeTar, type TarEntry } from '../../src/artifact/tar';
import {
  bufferSource,
  digestOf,
  EMPTY_DESCRIPTOR,
  MediaType,
  referrersTagFor,
  type Descriptor,
  type ImageManifest,
  type OciClient,
  parseReference,
} from '../../src/oci';

/** Real, small sample artifacts of each kind the explorer shows, for the sandbox and editor tests. */
export interface SeededArtifact {
  reference: string;
  digest: string;
  kind: string;
}

const CREATED = '2026-11-01T12:00:00Z';

function files(tree: Record<string, string>): TarEntry[] {
  const entries: TarEntry[] = [];
  const dirs = new Set<string>();
  for (const [path, content] of Object.entries(tree)) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    entries.push({ type: 'file', path, content: Buffer.from(content) });
  }
  for (const dir of dirs) entries.push({ type: 'directory', path: dir });
  return entries;
}

function deployment(name: string, image: string, replicas: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: ${name}
          image: ${image}
`;
}

/** Pushes a config, layers and an image manifest exactly as given; returns the manifest's descriptor. */
export async function pushManifest(
  client: OciClient,
  repository: string,
  tag: string | undefined,
  config: { mediaType: string; bytes: Buffer },
  layers: { mediaType: string; bytes: Buffer; annotations?: Record<string, string> }[],
  extra: Partial<ImageManifest> = {},
): Promise<Descriptor> {
  const repo = client.repository(parseReference(repository));
  await repo.pushBlob(bufferSource(config.bytes));
  for (const layer of layers) await repo.pushBlob(bufferSource(layer.bytes));
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    ...(extra.artifactType ? { artifactType: extra.artifactType } : {}),
    config: { mediaType: config.mediaType, digest: digestOf(config.bytes), size: config.bytes.length },
    layers: layers.map((l) => ({
      mediaType: l.mediaType,
      digest: digestOf(l.bytes),
      size: l.bytes.length,
      ...(l.annotations ? { annotations: l.annotations } : {}),
    })),
    ...(extra.subject ? { subject: extra.subject } : {}),
    ...(extra.annotations ? { annotations: extra.annotations } : {}),
  };
  const bytes = Buffer.from(JSON.stringify(manifest, null, 2));
  return repo.pushManifest(bytes, MediaType.OciManifest, tag ?? digestOf(bytes));
}

export async function seedSampleArtifacts(client: OciClient, registry: string): Promise<SeededArtifact[]> {
  const out: SeededArtifact[] = [];
  const emptyConfig = { mediaType: EMPTY_DESCRIPTOR.mediaType, bytes: Buffer.from('{}') };
  const source = 'https://github.com/example/fleet-infra';

  // Plain manifests tarball, the format Flux and a default Argo CD both accept.
  for (const [version, replicas, commit] of [
    ['1.0.0', 1, '8f3c2a1d0b9e7f6a5c4d3e2f1a0b9c8d7e6f5a4b'],
    ['1.1.0', 2, '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b'],
  ] as const) {
    const layer = reproducibleGzip(
      writeTar(
        files({
          'kustomization.yaml':
            'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - service.yaml\n',
          'deployment.yaml': deployment('podinfo', `ghcr.io/stefanprodan/podinfo:6.${replicas}.0`, replicas),
          'service.yaml':
            'apiVersion: v1\nkind: Service\nmetadata:\n  name: podinfo\nspec:\n  selector:\n    app: podinfo\n  ports:\n    - port: 9898\n',
        }),
      ),
    );
    const descriptor = await pushManifest(
      client,
      `${registry}/apps/podinfo`,
      version,
      emptyConfig,
      [{ mediaType: MediaType.OciLayerTarGzip, bytes: layer }],
      {
        artifactType: 'application/vnd.oci-gitops.manifests.v1',
        annotations: {
          'org.opencontainers.image.created': CREATED,
          'org.opencontainers.image.source': source,
          'org.opencontainers.image.revision': `main@sha1:${commit}`,
        },
      },
    );
    out.push({ reference: `${registry}/apps/podinfo:${version}`, digest: descriptor.digest, kind: 'manifests' });
    if (version === '1.0.0') {
      const signature = await legacyCosignSignature(client, `${registry}/apps/podinfo`, descriptor.digest);
      out.push({
        reference: `${registry}/apps/podinfo:${referrersTagFor(descriptor.digest)}.sig`,
        digest: signature.digest,
        kind: 'cosign-signature',
      });
    }
    if (version === '1.1.0') {
      await client.repository(parseReference(`${registry}/apps/podinfo`)).tag(descriptor.digest, 'latest');
      const sbom = JSON.stringify(
        {
          spdxVersion: 'SPDX-2.3',
          dataLicense: 'CC0-1.0',
          SPDXID: 'SPDXRef-DOCUMENT',
          name: 'podinfo-manifests',
          documentNamespace: `https://example.com/spdx/podinfo-${version}`,
          creationInfo: { created: CREATED, creators: ['Tool: oci-gitops-sandbox'] },
          packages: [],
        },
        null,
        2,
      );
      const referrer = await pushManifest(
        client,
        `${registry}/apps/podinfo`,
        undefined,
        emptyConfig,
        [{ mediaType: 'application/spdx+json', bytes: Buffer.from(sbom) }],
        {
          artifactType: 'application/spdx+json',
          subject: { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size },
          annotations: { 'org.opencontainers.image.created': CREATED },
        },
      );
      out.push({ reference: `${registry}/apps/podinfo@${referrer.digest}`, digest: referrer.digest, kind: 'sbom' });
    }
  }

  // The format `flux push artifact` writes, two versions, the newer one signed with cosign (legacy .sig).
  const fluxConfig = { mediaType: MediaType.FluxConfig, bytes: Buffer.from(JSON.stringify({ created: CREATED })) };
  for (const [version, replicas] of [
    ['0.2.0', 1],
    ['0.3.0', 2],
  ] as const) {
    const fluxLayer = reproducibleGzip(
      writeTar(
        files({
          'infra/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: monitoring\n',
          'infra/grafana.yaml': deployment('grafana', 'grafana/grafana:11.0.0', replicas),
        }),
      ),
    );
    const flux = await pushManifest(
      client,
      `${registry}/infra/monitoring`,
      version,
      fluxConfig,
      [{ mediaType: MediaType.FluxContent, bytes: fluxLayer }],
      {
        annotations: {
          'org.opencontainers.image.created': CREATED,
          'org.opencontainers.image.source': source,
          'org.opencontainers.image.revision': 'main@sha1:0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6',
        },
      },
    );
    out.push({ reference: `${registry}/infra/monitoring:${version}`, digest: flux.digest, kind: 'flux' });
    if (version === '0.3.0') {
      const signature = await legacyCosignSignature(client, `${registry}/infra/monitoring`, flux.digest);
      out.push({
        reference: `${registry}/infra/monitoring:${referrersTagFor(flux.digest)}.sig`,
        digest: signature.digest,
        kind: 'cosign-signature',
      });
    }
  }

  // A Helm chart as `helm push` stores it.
  const chart = reproducibleGzip(
    writeTar(
      files({
        'hello/Chart.yaml': 'apiVersion: v2\nname: hello\nversion: 0.2.1\nappVersion: "1.4.0"\n',
        'hello/values.yaml': 'replicaCount: 1\n',
        'hello/README.md': '# hello\n\nA ConfigMap that says hello.\n',
        'hello/templates/configmap.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-hello\ndata:\n  greeting: hello\n',
      }),
    ),
  );
  const helmConfig = {
    mediaType: MediaType.HelmConfig,
    bytes: Buffer.from(JSON.stringify({ name: 'hello', version: '0.2.1', appVersion: '1.4.0', apiVersion: 'v2' })),
  };
  const helm = await pushManifest(
    client,
    `${registry}/charts/hello`,
    '0.2.1',
    helmConfig,
    [{ mediaType: MediaType.HelmChart, bytes: chart }],
    {
      annotations: {
        'org.opencontainers.image.created': CREATED,
        'org.opencontainers.image.title': 'hello',
        'org.opencontainers.image.version': '0.2.1',
      },
    },
  );
  out.push({ reference: `${registry}/charts/hello:0.2.1`, digest: helm.digest, kind: 'helm' });

  // A Tekton bundle as `tkn bundle push` writes it (tektoncd/cli pkg/bundle/builder.go on go-containerregistry's
  // empty.Image): Docker schema 2 manifest and config, one gzipped tar layer per resource whose one entry is
  // named after it, annotated dev.tekton.image.{apiVersion,kind,name} (tektoncd/pipeline docs/tekton-bundle-contracts.md).
  const bundle = await pushTektonBundle(client, `${registry}/tekton/build`, '0.1.0', [
    { kind: 'Task', name: 'git-clone', yaml: TEKTON_TASK },
    { kind: 'Pipeline', name: 'build', yaml: TEKTON_PIPELINE },
  ]);
  out.push({ reference: `${registry}/tekton/build:0.1.0`, digest: bundle.digest, kind: 'tekton' });

  // Files as `oras push` stores them: one titled layer per file, empty config, an artifactType.
  const orasFiles = { 'values-prod.yaml': 'replicaCount: 3\n', 'values-dev.yaml': 'replicaCount: 1\n' };
  const oras = await pushManifest(
    client,
    `${registry}/config/values`,
    'v1',
    emptyConfig,
    Object.entries(orasFiles).map(([name, content]) => ({
      mediaType: 'application/yaml',
      bytes: Buffer.from(content),
      annotations: { 'org.opencontainers.image.title': name },
    })),
    {
      artifactType: 'application/vnd.example.values.v1',
      annotations: { 'org.opencontainers.image.created': CREATED },
    },
  );
  out.push({ reference: `${registry}/config/values:v1`, digest: oras.digest, kind: 'oras' });

  // A two-platform image index of tiny images.
  const platforms: Descriptor[] = [];
  for (const [os, architecture] of [
    ['linux', 'amd64'],
    ['linux', 'arm64'],
  ]) {
    const imageConfig = {
      mediaType: MediaType.OciImageConfig,
      bytes: Buffer.from(JSON.stringify({ architecture, os, rootfs: { type: 'layers', diff_ids: [] }, config: {} })),
    };
    const image = await pushManifest(
      client,
      `${registry}/images/tool`,
      undefined,
      imageConfig,
      [
        {
          mediaType: MediaType.OciLayerTarGzip,
          bytes: reproducibleGzip(writeTar(files({ [`bin/tool-${architecture}`]: '#!/bin/sh\necho tool\n' }))),
        },
      ],
      {},
    );
    platforms.push({ ...image, platform: { os, architecture } });
  }
  const index = Buffer.from(
    JSON.stringify(
      {
        schemaVersion: 2,
        mediaType: MediaType.OciIndex,
        manifests: platforms.map((p) => ({ mediaType: p.mediaType, digest: p.digest, size: p.size, platform: p.platform })),
      },
      null,
      2,
    ),
  );
  const indexDescriptor = await client
    .repository(parseReference(`${registry}/images/tool`))
    .pushManifest(index, MediaType.OciIndex, '2.0.0');
  out.push({ reference: `${registry}/images/tool:2.0.0`, digest: indexDescriptor.digest, kind: 'index' });
  return out;
}

const TEKTON_TASK = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: git-clone
spec:
  params:
    - name: url
      type: string
  steps:
    - name: clone
      image: alpine/git:2.45.2
      script: git clone $(params.url) /workspace/source
`;

const TEKTON_PIPELINE = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: build
spec:
  params:
    - name: url
      type: string
  tasks:
    - name: clone
      taskRef:
        name: git-clone
      params:
        - name: url
          value: $(params.url)
`;

/** Pushes Tekton resources as `tkn bundle push` lays them out (see the caller); returns the manifest's descriptor. */
export async function pushTektonBundle(
  client: OciClient,
  repository: string,
  tag: string,
  resources: { kind: string; name: string; yaml: string; apiVersion?: string }[],
): Promise<Descriptor> {
  const repo = client.repository(parseReference(repository));
  const layers: Descriptor[] = [];
  const diffIds: string[] = [];
  for (const resource of resources) {
    const tar = writeTar([{ type: 'file', path: resource.name, content: Buffer.from(resource.yaml) }]);
    const gz = reproducibleGzip(tar);
    await repo.pushBlob(bufferSource(gz));
    diffIds.push(digestOf(tar));
    layers.push({
      mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
      digest: digestOf(gz),
      size: gz.length,
      annotations: {
        // builder.go writes the GroupVersionKind's Version alone here.
        'dev.tekton.image.apiVersion': resource.apiVersion ?? 'v1',
        'dev.tekton.image.kind': resource.kind.toLowerCase(),
        'dev.tekton.image.name': resource.name,
      },
    });
  }
  const config = Buffer.from(JSON.stringify({ architecture: '', os: '', config: {}, rootfs: { type: 'layers', diff_ids: diffIds } }));
  await repo.pushBlob(bufferSource(config));
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.DockerManifest,
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: digestOf(config) },
    layers,
  };
  return repo.pushManifest(Buffer.from(JSON.stringify(manifest)), MediaType.DockerManifest, tag);
}

/**
 * A key-only cosign signature as cosign 2 lays it out under the `sha256-<hex>.sig` tag: simple-signing
 * payload as the layer, ECDSA P-256 DER signature in its annotation (signed with a throwaway key).
 */
export async function legacyCosignSignature(client: OciClient, repository: string, subject: string): Promise<Descriptor> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const payload = Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': repository },
        image: { 'docker-manifest-digest': subject },
        type: 'cosign container image signature',
      },
      optional: null,
    }),
  );
  const signature = sign('sha256', payload, privateKey).toString('base64');
  const config = Buffer.from(
    JSON.stringify({
      architecture: '',
      created: '0001-01-01T00:00:00Z',
      history: [{ created: '0001-01-01T00:00:00Z' }],
      os: '',
      rootfs: { type: 'layers', diff_ids: [digestOf(payload)] },
      config: {},
    }),
  );
  return pushManifest(
    client,
    repository,
    `${referrersTagFor(subject)}.sig`,
    { mediaType: MediaType.OciImageConfig, bytes: config },
    [
      {
        mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
        bytes: payload,
        annotations: { 'dev.cosignproject.cosign/signature': signature },
      },
    ],
    {},
  );
}
