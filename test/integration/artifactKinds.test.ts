import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { listArtifactFiles, readArtifactContents } from '../../src/artifact/contents';
import { reproducibleGzip } from '../../src/artifact/gzip';
import { summarise } from '../../src/artifact/summary';
import { writeTar } from '../../src/artifact/tar';
import { digestOf, EMPTY_DESCRIPTOR, MediaType, OciClient, type Descriptor, type ImageManifest, parseReference } from '../../src/oci';
import { pushManifest, pushTektonBundle, seedSampleArtifacts } from '../sandbox/seed';
import { cli } from '../support/cli';
import { FaultProxy } from '../support/faultProxy';
import { wasmWithSections, zip } from '../support/archives';
import { useRegistry } from '../support/useRegistry';

const EMPTY = { mediaType: EMPTY_DESCRIPTOR.mediaType, bytes: Buffer.from('{}') };

describe('artifact kinds pushed to a real registry in the layout their own tools write', () => {
  const context = useRegistry({ auth: 'none' });
  const summary = (repository: string, tag: string) =>
    summarise(context.client.repository(parseReference(`${context.registry.host}/${repository}`)), tag);

  test('a Helm chart (helm push): name, version, appVersion; its Chart.yaml, values.yaml, README.md and templates preview', async () => {
    // helm/helm pkg/registry/client.go Push: config = Chart.yaml metadata as JSON, one chart tgz layer.
    await seedSampleArtifacts(context.client, context.registry.host);
    const chart = await summary('charts/hello', '0.2.1');
    assert.equal(chart.kind.kind.id, 'helm-chart');
    assert.equal(chart.kind.kind.label, 'Helm chart');
    assert.deepEqual(chart.facts, { name: 'hello', version: '0.2.1', appVersion: '1.4.0' });
    const contents = await readArtifactContents(
      context.client.repository(parseReference(`${context.registry.host}/charts/hello`)),
      chart.manifest as ImageManifest,
    );
    assert.deepEqual([...contents.files.keys()].sort(), [
      'hello/Chart.yaml',
      'hello/README.md',
      'hello/templates/configmap.yaml',
      'hello/values.yaml',
    ]);
    assert.match(contents.files.get('hello/README.md')!.toString(), /says hello/);
  });

  test('a Tekton bundle (tkn bundle push): the tasks and pipelines it holds, each resource a file of its own', async () => {
    // Layout: tektoncd/cli pkg/bundle/builder.go; contract: tektoncd/pipeline docs/tekton-bundle-contracts.md (see pushTektonBundle).
    await pushTektonBundle(context.client, `${context.registry.host}/tekton/ci`, '1.0.0', [
      { kind: 'Task', name: 'lint', yaml: 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: lint\n' },
      { kind: 'Task', name: 'test', yaml: 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: test\n' },
      { kind: 'Pipeline', name: 'ci', yaml: 'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: ci\n' },
    ]);
    const bundle = await summary('tekton/ci', '1.0.0');
    assert.equal(bundle.kind.kind.id, 'tekton-bundle');
    assert.equal(bundle.kind.kind.label, 'Tekton bundle');
    assert.deepEqual(bundle.facts.tasks, ['lint', 'test']);
    assert.deepEqual(bundle.facts.pipelines, ['ci']);
    assert.deepEqual(bundle.facts.resources, [
      { kind: 'task', name: 'lint', apiVersion: 'v1' },
      { kind: 'task', name: 'test', apiVersion: 'v1' },
      { kind: 'pipeline', name: 'ci', apiVersion: 'v1' },
    ]);
    assert.equal(bundle.headline, 'Tekton: 2 tasks, 1 pipeline');
    const contents = await readArtifactContents(
      context.client.repository(parseReference(`${context.registry.host}/tekton/ci`)),
      bundle.manifest as ImageManifest,
    );
    assert.deepEqual([...contents.files.keys()], ['task/lint.yaml', 'task/test.yaml', 'pipeline/ci.yaml']);
    assert.match(contents.files.get('pipeline/ci.yaml')!.toString(), /kind: Pipeline/);
  });

  test("a Kubewarden policy (kwctl push): metadata and rules from the module's metadata section, its size; the module is one file, never run", async () => {
    // kubewarden/policy-fetcher src/registry/mod.rs do_push: `{}` config application/vnd.wasm.config.v1+json, one
    // application/vnd.wasm.content.layer.v1+wasm layer; kwctl annotate stores metadata.yml as JSON in the custom
    // section io.kubewarden.metadata (kubewarden-controller crates/policy-evaluator/src/constants.rs).
    const metadata = {
      rules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], operations: ['CREATE', 'UPDATE'] }],
      mutating: false,
      contextAware: false,
      executionMode: 'kubewarden-wapc',
      annotations: {
        'io.kubewarden.policy.title': 'disallow-latest-tag',
        'io.kubewarden.policy.version': '0.1.0',
        'io.kubewarden.policy.description': 'Reject Pods that use the latest tag',
        'io.kubewarden.policy.license': 'Apache-2.0',
      },
    };
    const module = wasmWithSections({ 'io.kubewarden.metadata': JSON.stringify(metadata) });
    await pushManifest(
      context.client,
      `${context.registry.host}/policies/latest-tag`,
      'v0.1.0',
      { mediaType: 'application/vnd.wasm.config.v1+json', bytes: Buffer.from('{}') },
      [{ mediaType: 'application/vnd.wasm.content.layer.v1+wasm', bytes: module }],
    );
    const policy = await summary('policies/latest-tag', 'v0.1.0');
    assert.equal(policy.kind.kind.id, 'kubewarden-policy');
    assert.equal(policy.kind.kind.label, 'Kubewarden policy');
    assert.deepEqual(policy.facts, {
      moduleSize: module.length,
      title: 'disallow-latest-tag',
      version: '0.1.0',
      description: 'Reject Pods that use the latest tag',
      license: 'Apache-2.0',
      mutating: false,
      contextAware: false,
      executionMode: 'kubewarden-wapc',
      rules: [{ apiGroups: '', apiVersions: 'v1', resources: 'pods', operations: 'CREATE, UPDATE' }],
    });
    assert.equal(policy.headline, 'Kubewarden disallow-latest-tag 0.1.0');
    const listing = await listArtifactFiles(
      context.client.repository(parseReference(`${context.registry.host}/policies/latest-tag`)),
      policy.manifest as ImageManifest,
    );
    assert.deepEqual(
      [...listing.files].map(([path, file]) => [path, file.size]),
      [['policy.wasm', module.length]],
    );
  });

  test('a policy module without kwctl annotate says it has no metadata instead of guessing', async () => {
    await pushManifest(
      context.client,
      `${context.registry.host}/policies/bare`,
      'v1',
      { mediaType: 'application/vnd.wasm.config.v1+json', bytes: Buffer.from('{}') },
      [{ mediaType: 'application/vnd.wasm.content.layer.v1+wasm', bytes: wasmWithSections({ name: 'x' }) }],
    );
    const bare = await summary('policies/bare', 'v1');
    assert.equal(bare.kind.kind.id, 'kubewarden-policy');
    assert.match(String(bare.facts.metadata), /no "io\.kubewarden\.metadata" section/);
  });

  test('a WASM module (CNCF TAG Runtime wasm OCI artifact): OS, component exports and imports from its config', async () => {
    // tag-runtime.cncf.io/wgs/wasm/deliverables/wasm-oci-artifact (bytecodealliance/rust-oci-wasm): config
    // application/vnd.wasm.config.v0+json, one application/wasm layer.
    const module = wasmWithSections({});
    const config = {
      created: '2026-11-01T12:00:00Z',
      architecture: 'wasm',
      os: 'wasip2',
      layerDigests: [digestOf(module)],
      component: { exports: ['wasi:http/incoming-handler@0.2.0'], imports: ['wasi:io/streams@0.2.0'] },
    };
    await pushManifest(
      context.client,
      `${context.registry.host}/wasm/hello`,
      '1.0.0',
      { mediaType: 'application/vnd.wasm.config.v0+json', bytes: Buffer.from(JSON.stringify(config)) },
      [{ mediaType: 'application/wasm', bytes: module }],
      { artifactType: 'application/vnd.wasm.config.v0+json' },
    );
    const wasm = await summary('wasm/hello', '1.0.0');
    assert.equal(wasm.kind.kind.id, 'wasm');
    assert.equal(wasm.kind.kind.label, 'WebAssembly module');
    assert.deepEqual(wasm.facts, {
      modules: 1,
      moduleSize: module.length,
      os: 'wasip2',
      architecture: 'wasm',
      exports: ['wasi:http/incoming-handler@0.2.0'],
      imports: ['wasi:io/streams@0.2.0'],
    });
    const listing = await listArtifactFiles(
      context.client.repository(parseReference(`${context.registry.host}/wasm/hello`)),
      wasm.manifest as ImageManifest,
    );
    assert.deepEqual([...listing.files.keys()], ['module.wasm']);
  });

  test('a KCL module (kcl mod push): name, version and description; its package folder unpacked', async () => {
    // kcl-lang/kpm pkg/oci/oci.go PushWithOciManifest + pkg/constants: oras PackManifest v1.1 with artifactType and
    // layer type application/vnd.oci.image.layer.v1.tar, layer titled <name>-<version>.tar, org.kcllang.package.* annotations.
    const tar = writeTar([
      { type: 'file', path: 'kcl.mod', content: Buffer.from('[package]\nname = "web"\nversion = "0.2.0"\n') },
      { type: 'file', path: 'main.k', content: Buffer.from('app = {replicas = 2}\n') },
    ]);
    await pushManifest(
      context.client,
      `${context.registry.host}/kcl/web`,
      '0.2.0',
      EMPTY,
      [{ mediaType: MediaType.OciLayerTar, bytes: tar, annotations: { 'org.opencontainers.image.title': 'web-0.2.0.tar' } }],
      {
        artifactType: MediaType.OciLayerTar,
        annotations: {
          'org.kcllang.package.name': 'web',
          'org.kcllang.package.version': '0.2.0',
          'org.kcllang.package.description': 'A web app',
        },
      },
    );
    const kcl = await summary('kcl/web', '0.2.0');
    assert.equal(kcl.kind.kind.id, 'kcl-module');
    assert.equal(kcl.kind.kind.label, 'KCL module');
    assert.deepEqual(kcl.facts, { name: 'web', version: '0.2.0', description: 'A web app' });
    const contents = await readArtifactContents(
      context.client.repository(parseReference(`${context.registry.host}/kcl/web`)),
      kcl.manifest as ImageManifest,
    );
    assert.deepEqual([...contents.files.keys()].sort(), ['kcl.mod', 'main.k']);
  });

  test('an OpenTofu module package: the files of its zip, listed and previewed', async () => {
    // opentofu/opentofu website/docs/cli/oci_registries/module-package.mdx: artifactType application/vnd.opentofu.modulepkg,
    // exactly one archive/zip layer (pushed with `oras push --artifact-type … module.zip:archive/zip`).
    const pkg = zip(
      {
        'main.tf': 'variable "name" {}\n',
        'outputs.tf': 'output "name" { value = var.name }\n',
        'modules/child/main.tf': '\n',
      },
      true,
    );
    await pushManifest(
      context.client,
      `${context.registry.host}/tofu/modules/naming`,
      '1.0.0',
      EMPTY,
      [{ mediaType: 'archive/zip', bytes: pkg, annotations: { 'org.opencontainers.image.title': 'module.zip' } }],
      { artifactType: 'application/vnd.opentofu.modulepkg' },
    );
    const module = await summary('tofu/modules/naming', '1.0.0');
    assert.equal(module.kind.kind.id, 'opentofu-module');
    assert.equal(module.kind.kind.label, 'OpenTofu module');
    assert.deepEqual(module.facts, {
      package: 'module.zip',
      packageSize: pkg.length,
      files: [
        { path: 'main.tf', size: 19 },
        { path: 'outputs.tf', size: 35 },
        { path: 'modules/child/main.tf', size: 1 },
      ],
    });
    const contents = await readArtifactContents(
      context.client.repository(parseReference(`${context.registry.host}/tofu/modules/naming`)),
      module.manifest as ImageManifest,
    );
    assert.deepEqual([...contents.files.keys()], ['main.tf', 'outputs.tf', 'modules/child/main.tf']);
    assert.equal(contents.files.get('outputs.tf')!.toString(), 'output "name" { value = var.name }\n');
  });

  test('a file path a layer annotation names is held to the same rules as a tar entry: one escaping the folder is refused', async () => {
    await pushManifest(
      context.client,
      `${context.registry.host}/models/hostile`,
      '1.0',
      EMPTY,
      [
        {
          mediaType: 'application/vnd.cncf.model.doc.v1.raw',
          bytes: Buffer.from('x'),
          annotations: { 'org.cncf.model.filepath': '../../.bashrc' },
        },
      ],
      { artifactType: 'application/vnd.cncf.model.manifest.v1+json' },
    );
    const model = await summary('models/hostile', '1.0');
    await assert.rejects(
      listArtifactFiles(
        context.client.repository(parseReference(`${context.registry.host}/models/hostile`)),
        model.manifest as ImageManifest,
      ),
      /Refusing the archive entry "\.\.\/\.\.\/\.bashrc": its name contains "\.\."/,
    );
  });

  test('a Tekton layer that holds more than its one resource is refused when opened', async () => {
    const tar = writeTar([
      { type: 'file', path: 'lint', content: Buffer.from('kind: Task\n') },
      { type: 'file', path: 'extra', content: Buffer.from('kind: Task\n') },
    ]);
    await pushManifest(context.client, `${context.registry.host}/tekton/odd`, '1', EMPTY, [
      {
        mediaType: MediaType.OciLayerTarGzip,
        bytes: reproducibleGzip(tar),
        annotations: { 'dev.tekton.image.kind': 'task', 'dev.tekton.image.name': 'lint', 'dev.tekton.image.apiVersion': 'v1' },
      },
    ]);
    const odd = await summary('tekton/odd', '1');
    const listing = await listArtifactFiles(
      context.client.repository(parseReference(`${context.registry.host}/tekton/odd`)),
      odd.manifest as ImageManifest,
    );
    await assert.rejects(listing.files.get('task/lint.yaml')!.read(), /should hold the one file "task\/lint\.yaml" but holds 2/);
  });

  test('an unknown media type stays unknown, with every type it carries listed', async () => {
    await pushManifest(
      context.client,
      `${context.registry.host}/mystery/thing`,
      'v1',
      { mediaType: 'application/vnd.acme.config.v3+json', bytes: Buffer.from('{}') },
      [{ mediaType: 'application/vnd.acme.blob.v3', bytes: Buffer.from('opaque') }],
      { artifactType: 'application/vnd.acme.thing.v3' },
    );
    const thing = await summary('mystery/thing', 'v1');
    assert.equal(thing.kind.kind.id, 'unknown');
    assert.deepEqual(thing.kind.mediaTypes, [
      'application/vnd.acme.thing.v3',
      'application/vnd.acme.config.v3+json',
      'application/vnd.acme.blob.v3',
    ]);
    assert.deepEqual(thing.facts, {
      artifactType: 'application/vnd.acme.thing.v3',
      config: 'application/vnd.acme.config.v3+json',
      layers: ['application/vnd.acme.blob.v3 (6 bytes)'],
    });
  });

  test("inspect --json prints each kind's id, label and summary, the same facts the explorer shows", async () => {
    for (const [repository, tag, id, label] of [
      ['charts/hello', '0.2.1', 'helm-chart', 'Helm chart'],
      ['tekton/ci', '1.0.0', 'tekton-bundle', 'Tekton bundle'],
      ['policies/latest-tag', 'v0.1.0', 'kubewarden-policy', 'Kubewarden policy'],
      ['wasm/hello', '1.0.0', 'wasm', 'WebAssembly module'],
      ['kcl/web', '0.2.0', 'kcl-module', 'KCL module'],
      ['tofu/modules/naming', '1.0.0', 'opentofu-module', 'OpenTofu module'],
      ['mystery/thing', 'v1', 'unknown', 'Unknown artifact'],
    ]) {
      const run = await cli(['inspect', '--json', `${context.registry.host}/${repository}:${tag}`]);
      assert.equal(run.code, 0, run.stderr);
      const json = JSON.parse(run.stdout) as Record<string, unknown>;
      assert.deepEqual([json.kind, json.kindLabel], [id, label], repository);
      assert.deepEqual(json.summary, (await summary(repository, tag)).facts, repository);
    }
    const unknown = JSON.parse((await cli(['inspect', '--json', `${context.registry.host}/mystery/thing:v1`])).stdout) as Record<
      string,
      unknown
    >;
    assert.deepEqual(unknown.mediaTypes, [
      'application/vnd.acme.thing.v3',
      'application/vnd.acme.config.v3+json',
      'application/vnd.acme.blob.v3',
    ]);
  });

  describe('large artifacts are browsed by their manifests: no layer is downloaded until its file is opened', () => {
    /** Blob GETs that went through the counting proxy, by digest. */
    async function withCountingProxy<T>(work: (client: OciClient, host: string, blobGets: () => string[]) => Promise<T>): Promise<T> {
      const proxy = await new FaultProxy(context.registry.host, () => 'pass').start();
      const client = new OciClient();
      try {
        const blobGets = () =>
          proxy.seen
            .filter((r) => r.method === 'GET' && r.url.includes('/blobs/sha256:'))
            .map((r) => r.url.slice(r.url.indexOf('sha256:')));
        return await work(client, proxy.host, blobGets);
      } finally {
        await client.close();
        await proxy.stop();
      }
    }

    test('an ML model (ModelPack, as modctl writes it): file list and sizes from the manifest; a file is fetched when opened', async () => {
      // modelpack/model-spec docs/spec.md, docs/annotations.md, specs-go/v1/mediatype.go: artifactType
      // application/vnd.cncf.model.manifest.v1+json, config application/vnd.cncf.model.config.v1+json, one layer
      // per file with org.cncf.model.filepath (raw layers are the file, .tar layers a tarball of it).
      const weights = Buffer.alloc(3 * 1024 * 1024, 7);
      const configJson = Buffer.from('{"architectures":["LlamaForCausalLM"]}\n');
      const readme = Buffer.from('# tiny-llama\n');
      const modelConfig = {
        descriptor: { name: 'tiny-llama', version: '1.0', family: 'llama' },
        config: { architecture: 'transformer', format: 'safetensors', paramSize: '1.1b', precision: 'bf16' },
        modelfs: { type: 'layers', diffIds: [] },
      };
      const file = (mediaType: string, path: string, bytes: Buffer, size = bytes.length) => ({
        mediaType,
        bytes,
        annotations: {
          'org.cncf.model.filepath': path,
          'org.opencontainers.image.title': path,
          'org.cncf.model.file.metadata+json': JSON.stringify({ name: path, size }),
        },
      });
      await pushManifest(
        context.client,
        `${context.registry.host}/models/tiny-llama`,
        '1.0',
        { mediaType: 'application/vnd.cncf.model.config.v1+json', bytes: Buffer.from(JSON.stringify(modelConfig)) },
        [
          file('application/vnd.cncf.model.weight.v1.raw', 'model.safetensors', weights),
          file(
            'application/vnd.cncf.model.weight.config.v1.tar',
            'config.json',
            writeTar([{ type: 'file', path: 'config.json', content: configJson }]),
            configJson.length,
          ),
          file('application/vnd.cncf.model.doc.v1.raw', 'README.md', readme),
        ],
        { artifactType: 'application/vnd.cncf.model.manifest.v1+json' },
      );

      await withCountingProxy(async (client, host, blobGets) => {
        const repo = client.repository(parseReference(`${host}/models/tiny-llama`));
        const model = await summarise(repo, '1.0');
        assert.equal(model.kind.kind.id, 'ml-model');
        assert.equal(model.kind.kind.label, 'ML model');
        assert.deepEqual(model.facts.files, [
          { path: 'model.safetensors', size: weights.length, role: 'weight' },
          { path: 'config.json', size: configJson.length, role: 'weight.config' },
          { path: 'README.md', size: readme.length, role: 'doc' },
        ]);
        assert.equal(model.facts.name, 'tiny-llama');
        assert.equal(model.facts.paramSize, '1.1b');
        assert.equal(model.headline, 'Model tiny-llama (1.1b)');
        const manifest = model.manifest as ImageManifest;
        assert.deepEqual(blobGets(), [manifest.config.digest], 'the summary reads the small config only');

        const listing = await listArtifactFiles(repo, manifest);
        assert.deepEqual(
          [...listing.files].map(([path, f]) => [path, f.size]),
          [
            ['model.safetensors', weights.length],
            ['config.json', configJson.length],
            ['README.md', readme.length],
          ],
        );
        assert.deepEqual(blobGets(), [manifest.config.digest], 'listing the files downloads no layer');

        assert.equal((await listing.files.get('config.json')!.read()).toString(), configJson.toString());
        assert.equal((await listing.files.get('README.md')!.read()).toString(), readme.toString());
        assert.deepEqual(
          blobGets(),
          [manifest.config.digest, manifest.layers[1].digest, manifest.layers[2].digest],
          'opening two files fetches their two layers, not the weights',
        );
      });
    });

    test('an OpenTofu provider (index per platform, oras push --artifact-platform): its platforms; a package is listed, not downloaded', async () => {
      // opentofu/opentofu website/docs/cli/oci_registries/provider-mirror.mdx: index artifactType application/vnd.opentofu.provider,
      // manifests artifactType application/vnd.opentofu.provider-target with a platform, one archive/zip layer each
      // (oras writes an image config holding the platform for --artifact-platform).
      const platforms: Descriptor[] = [];
      for (const [os, architecture] of [
        ['linux', 'amd64'],
        ['darwin', 'arm64'],
      ]) {
        const name = `terraform-provider-tls_4.0.6_${os}_${architecture}.zip`;
        const descriptor = await pushManifest(
          context.client,
          `${context.registry.host}/tofu/providers/hashicorp/tls`,
          `${os}_${architecture}`,
          { mediaType: MediaType.OciImageConfig, bytes: Buffer.from(JSON.stringify({ architecture, os })) },
          [
            {
              mediaType: 'archive/zip',
              bytes: zip({ [`terraform-provider-tls_v4.0.6_x5`]: `binary for ${os}/${architecture}`.padEnd(256 * 1024, '.') }),
              annotations: { 'org.opencontainers.image.title': name },
            },
          ],
          { artifactType: 'application/vnd.opentofu.provider-target' },
        );
        platforms.push({ ...descriptor, artifactType: 'application/vnd.opentofu.provider-target', platform: { os, architecture } });
      }
      const index = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaType.OciIndex,
          artifactType: 'application/vnd.opentofu.provider',
          manifests: platforms,
        }),
      );
      await context.client
        .repository(parseReference(`${context.registry.host}/tofu/providers/hashicorp/tls`))
        .pushManifest(index, MediaType.OciIndex, '4.0.6');

      await withCountingProxy(async (client, host, blobGets) => {
        const repo = client.repository(parseReference(`${host}/tofu/providers/hashicorp/tls`));
        const provider = await summarise(repo, '4.0.6');
        assert.equal(provider.kind.kind.id, 'opentofu-provider');
        assert.equal(provider.kind.kind.label, 'OpenTofu provider');
        assert.deepEqual(provider.facts, { platforms: ['linux/amd64', 'darwin/arm64'] });
        const target = await summarise(repo, platforms[0].digest);
        assert.equal(target.kind.kind.id, 'opentofu-provider');
        const zipLayer = (target.manifest as ImageManifest).layers[0];
        assert.deepEqual(target.facts, { package: 'terraform-provider-tls_4.0.6_linux_amd64.zip', packageSize: zipLayer.size });
        const listing = await listArtifactFiles(repo, target.manifest as ImageManifest);
        assert.deepEqual(
          [...listing.files].map(([path, f]) => [path, f.size]),
          [['terraform-provider-tls_4.0.6_linux_amd64.zip', zipLayer.size]],
        );
        assert.deepEqual(blobGets(), [], 'neither the summaries nor the listing download a package');
      });
    });

    test('generic data (ORAS titled layers, e.g. for an image volume): files and sizes from the manifest alone', async () => {
      const big = reproducibleGzip(Buffer.alloc(512 * 1024, 1));
      await pushManifest(
        context.client,
        `${context.registry.host}/data/reference`,
        'v1',
        EMPTY,
        [
          { mediaType: 'application/octet-stream', bytes: big, annotations: { 'org.opencontainers.image.title': 'table.bin.gz' } },
          { mediaType: 'text/csv', bytes: Buffer.from('a,b\n1,2\n'), annotations: { 'org.opencontainers.image.title': 'index.csv' } },
        ],
        { artifactType: 'application/vnd.example.dataset.v1' },
      );
      await withCountingProxy(async (client, host, blobGets) => {
        const repo = client.repository(parseReference(`${host}/data/reference`));
        const data = await summarise(repo, 'v1');
        assert.equal(data.kind.kind.id, 'oras-files');
        assert.deepEqual(data.facts.files, [
          { path: 'table.bin.gz', size: big.length, mediaType: 'application/octet-stream' },
          { path: 'index.csv', size: 8, mediaType: 'text/csv' },
        ]);
        const listing = await listArtifactFiles(repo, data.manifest as ImageManifest);
        assert.deepEqual([...listing.files.keys()], ['table.bin.gz', 'index.csv']);
        assert.deepEqual(blobGets(), []);
      });
    });
  });
});
