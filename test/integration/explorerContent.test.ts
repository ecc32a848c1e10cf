import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readArtifactContents } from '../../src/artifact/contents';
import { reproducibleGzip } from '../../src/artifact/gzip';
import { summarise } from '../../src/artifact/summary';
import {
  bufferSource,
  digestOf,
  EMPTY_DESCRIPTOR,
  isOciError,
  MediaType,
  OciClient,
  referrersTagFor,
  type ImageManifest,
  parseReference,
} from '../../src/oci';
import { seedSampleArtifacts } from '../sandbox/seed';
import { startRegistry, type RunningRegistry } from '../support/registry';

/** A raw tar with the given entries, for archives our writer refuses to make. */
function rawTar(entries: { name: string; type: '0' | '2' | '5'; content?: string; link?: string }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const content = Buffer.from(entry.content ?? '');
    const header = Buffer.alloc(512);
    header.write(entry.name, 0, 100);
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(content.length.toString(8).padStart(11, '0') + '\0', 124);
    header.write('00000000000\0', 136);
    header.fill(0x20, 148, 156);
    header.write(entry.type, 156);
    header.write(entry.link ?? '', 157, 100);
    header.write('ustar\u000000', 257, 'binary');
    let sum = 0;
    for (const b of header) sum += b;
    header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'binary');
    blocks.push(header, content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

describe('explorer content from a real registry seeded with every kind', () => {
  let registry: RunningRegistry;
  let client: OciClient;
  let seeded: Awaited<ReturnType<typeof seedSampleArtifacts>>;
  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    client = new OciClient();
    seeded = await seedSampleArtifacts(client, registry.host);
  });
  after(async () => {
    await client?.close();
    await registry?.stop();
  });

  const kindOf = async (reference: string) => {
    const [repo, tag] = [reference.slice(0, reference.lastIndexOf(':')), reference.slice(reference.lastIndexOf(':') + 1)];
    return summarise(client.repository(parseReference(repo)), tag);
  };

  test('each artifact is recognised as the tool that made it laid it out', async () => {
    const kinds: Record<string, string> = {};
    for (const ref of ['apps/podinfo:1.1.0', 'infra/monitoring:0.3.0', 'charts/hello:0.2.1', 'config/values:v1', 'images/tool:2.0.0']) {
      kinds[ref] = (await kindOf(`${registry.host}/${ref}`)).kind.kind.id;
    }
    assert.deepEqual(kinds, {
      'apps/podinfo:1.1.0': 'manifests-tarball',
      'infra/monitoring:0.3.0': 'flux-manifests',
      'charts/hello:0.2.1': 'helm-chart',
      'config/values:v1': 'oras-files',
      'images/tool:2.0.0': 'image-index',
    });
  });

  test('a Helm chart shows its version and appVersion; an index its platforms; annotations give age and source', async () => {
    assert.deepEqual((await kindOf(`${registry.host}/charts/hello:0.2.1`)).facts, { name: 'hello', version: '0.2.1', appVersion: '1.4.0' });
    assert.deepEqual((await kindOf(`${registry.host}/images/tool:2.0.0`)).platforms, ['linux/amd64', 'linux/arm64']);
    const podinfo = await kindOf(`${registry.host}/apps/podinfo:1.1.0`);
    assert.equal(podinfo.source, 'https://github.com/example/fleet-infra');
    assert.equal(podinfo.created?.toISOString(), '2026-11-01T12:00:00.000Z');
  });

  test('files: a tarball unpacks to its tree, ORAS layers to their titles, a chart keeps its folder', async () => {
    const files = async (repository: string, tag: string) => {
      const repo = client.repository(parseReference(`${registry.host}/${repository}`));
      const { manifest } = await repo.fetchManifest(tag);
      return [...(await readArtifactContents(repo, manifest as ImageManifest)).files.keys()].sort();
    };
    assert.deepEqual(await files('apps/podinfo', '1.0.0'), ['deployment.yaml', 'kustomization.yaml', 'service.yaml']);
    assert.deepEqual(await files('config/values', 'v1'), ['values-dev.yaml', 'values-prod.yaml']);
    assert.deepEqual(await files('charts/hello', '0.2.1'), [
      'hello/Chart.yaml',
      'hello/README.md',
      'hello/templates/configmap.yaml',
      'hello/values.yaml',
    ]);
    assert.deepEqual(await files('infra/monitoring', '0.3.0'), ['infra/grafana.yaml', 'infra/namespace.yaml']);
  });

  test('referrers hang under their subject: the SBOM by the fallback index, the cosign signature by its .sig tag', async () => {
    const repo = client.repository(parseReference(`${registry.host}/apps/podinfo`));
    const v110 = await repo.resolve('1.1.0');
    assert.deepEqual(
      (await repo.referrers(v110.digest)).map((r) => r.artifactType),
      ['application/spdx+json'],
    );
    const v100 = await repo.resolve('1.0.0');
    const sig = await summarise(repo, `${referrersTagFor(v100.digest)}.sig`);
    assert.equal(sig.kind.kind.id, 'cosign-signature');
    assert.ok(seeded.some((s) => s.kind === 'cosign-signature'));
  });

  describe('hostile artifacts', () => {
    async function pushLayer(repository: string, layer: Buffer, mediaType: string = MediaType.OciLayerTarGzip): Promise<ImageManifest> {
      const repo = client.repository(parseReference(`${registry.host}/${repository}`));
      await repo.pushBlob(bufferSource(Buffer.from('{}')));
      await repo.pushBlob(bufferSource(layer));
      const manifest: ImageManifest = {
        schemaVersion: 2,
        mediaType: MediaType.OciManifest,
        artifactType: 'application/vnd.hostile',
        config: { ...EMPTY_DESCRIPTOR },
        layers: [{ mediaType, digest: digestOf(layer), size: layer.length }],
      };
      await repo.pushManifest(Buffer.from(JSON.stringify(manifest)), MediaType.OciManifest, 'bad');
      return manifest;
    }

    test('path traversal is refused, naming the entry', async () => {
      const manifest = await pushLayer(
        'hostile/traversal',
        reproducibleGzip(
          rawTar([
            { name: 'ok.yaml', type: '0', content: 'a: 1' },
            { name: '../../etc/cron.d/evil', type: '0', content: 'x' },
          ]),
        ),
      );
      await assert.rejects(
        readArtifactContents(client.repository(parseReference(`${registry.host}/hostile/traversal`)), manifest),
        (error: unknown) => isOciError(error, 'PROTOCOL') && (error as Error).message.includes('../../etc/cron.d/evil'),
      );
    });

    test('an absolute path is refused', async () => {
      const manifest = await pushLayer('hostile/absolute', reproducibleGzip(rawTar([{ name: '/etc/passwd', type: '0', content: 'root' }])));
      await assert.rejects(
        readArtifactContents(client.repository(parseReference(`${registry.host}/hostile/absolute`)), manifest),
        /"\/etc\/passwd".*absolute/,
      );
    });

    test('a symlink escaping the root is never followed: it is skipped and reported, as Flux skips it', async () => {
      const manifest = await pushLayer(
        'hostile/symlink',
        reproducibleGzip(
          rawTar([
            { name: 'link.yaml', type: '2', link: '../../../../etc/shadow' },
            { name: 'real.yaml', type: '0', content: 'b: 2' },
          ]),
        ),
      );
      const contents = await readArtifactContents(client.repository(parseReference(`${registry.host}/hostile/symlink`)), manifest);
      assert.deepEqual([...contents.files.keys()], ['real.yaml']);
      assert.deepEqual(
        contents.skipped.map((s) => s.path),
        ['link.yaml'],
      );
    });

    test('a gzip bomb is refused before it fills memory', async () => {
      const { gzipSync } = await import('node:zlib');
      const bomb = gzipSync(rawTar([{ name: 'zeros', type: '0', content: '\0'.repeat(40 * 1024 * 1024) }]), { level: 9 });
      const manifest = await pushLayer('hostile/bomb', bomb);
      await assert.rejects(
        readArtifactContents(client.repository(parseReference(`${registry.host}/hostile/bomb`)), manifest),
        (error: unknown) => isOciError(error, 'TOO_LARGE'),
      );
    });

    test('a layer that is not gzip is a clear error', async () => {
      const manifest = await pushLayer('hostile/notgzip', Buffer.from('definitely not gzip'));
      await assert.rejects(
        readArtifactContents(client.repository(parseReference(`${registry.host}/hostile/notgzip`)), manifest),
        /not valid gzip/,
      );
    });
  });
});
