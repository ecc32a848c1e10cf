import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, createReadStream, symlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { makeFolder } from '../support/folders';
import { describe, test } from 'node:test';
import { gunzipLimited } from '../../src/artifact/decompress';
import { buildManifest, configBlob, layerMediaType } from '../../src/artifact/formats';
import { stripCredentials } from '../../src/artifact/gitInfo';
import { packFolder } from '../../src/artifact/pack';
import { readTar, type TarReadEntry } from '../../src/artifact/tarReader';
import { isArtifactError } from '../../src/artifact/errors';
import { digestOf, isOciError, MediaType } from '../../src/oci';

const folder = (tree: Record<string, string>) => makeFolder(tree);

async function entries(path: string): Promise<TarReadEntry[]> {
  const out: TarReadEntry[] = [];
  for await (const e of readTar(gunzipLimited(createReadStream(path)))) out.push(e);
  return out;
}

const TREE = { 'kustomization.yaml': 'resources: [apps]\n', 'apps/deploy.yaml': 'kind: Deployment\n', 'apps/svc.yaml': 'kind: Service\n' };

describe('packing a folder', () => {
  test('the same content gives the same layer digest whatever the times and permissions on disk', async () => {
    const a = folder(TREE);
    const b = folder(TREE);
    utimesSync(join(b, 'apps/deploy.yaml'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    chmodSync(join(b, 'apps/svc.yaml'), 0o600);
    const [pa, pb] = [await packFolder(a), await packFolder(b)];
    try {
      assert.equal(pa.digest, pb.digest);
      assert.equal(pa.size, pb.size);
    } finally {
      await pa.dispose();
      await pb.dispose();
    }
  });

  test('entries are relative to the folder root, sorted, with fixed modes and no root prefix', async () => {
    const packed = await packFolder(folder(TREE));
    try {
      const listed = await entries(packed.path);
      assert.deepEqual(
        listed.map((e) => e.path),
        ['apps', 'apps/deploy.yaml', 'apps/svc.yaml', 'kustomization.yaml'],
      );
      const verbose = execFileSync('tar', ['-tvzf', packed.path]).toString();
      assert.match(verbose, /drwxr-xr-x 0\/0 +0 1970-01-01 00:00 apps\//);
      assert.match(verbose, /-rw-r--r-- 0\/0 +17 1970-01-01 00:00 apps\/deploy\.yaml/);
    } finally {
      await packed.dispose();
    }
  });

  test('.sourceignore files and the VCS defaults leave paths out, and are reported', async () => {
    const root = folder({
      ...TREE,
      '.git/HEAD': 'ref: x\n',
      '.sourceignore': '*.tmp\n',
      'apps/.sourceignore': 'secret/\n',
      'apps/secret/key.yaml': 'k: v\n',
      'scratch.tmp': 'x',
    });
    const packed = await packFolder(root);
    try {
      const paths = (await entries(packed.path)).map((e) => e.path);
      assert.ok(!paths.some((p) => p.startsWith('.git')), 'no .git');
      assert.ok(!paths.includes('scratch.tmp'));
      assert.ok(!paths.includes('apps/secret/key.yaml'), 'a nested .sourceignore applies to its folder');
      assert.deepEqual(packed.listing.ignored.sort(), ['.git/', 'apps/secret/', 'scratch.tmp']);
    } finally {
      await packed.dispose();
    }
  });

  test('a symlink is refused by name unless resolving is asked for', async () => {
    const root = folder(TREE);
    symlinkSync('deploy.yaml', join(root, 'apps/link.yaml'));
    await assert.rejects(packFolder(root), /"apps\/link\.yaml" is a symbolic link/);
    const packed = await packFolder(root, { resolveSymlinks: true });
    try {
      const link = (await entries(packed.path)).find((e) => e.path === 'apps/link.yaml');
      assert.equal(link?.type, 'file');
    } finally {
      await packed.dispose();
    }
  });

  test('a symlink that escapes the folder is refused even when resolving', async () => {
    const root = folder(TREE);
    const outside = folder({ 'secret.yaml': 's: 1\n' });
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'escape.yaml'));
    await assert.rejects(packFolder(root, { resolveSymlinks: true }), /points outside the folder/);
  });

  test('a folder problem is an ArtifactError with its own code, not a registry protocol error', async () => {
    const root = folder(TREE);
    symlinkSync('deploy.yaml', join(root, 'apps/link.yaml'));
    await assert.rejects(packFolder(root), (error: unknown) => isArtifactError(error, 'FILE_UNSUPPORTED') && !isOciError(error));
    await assert.rejects(packFolder(join(root, 'kustomization.yaml')), (error: unknown) => isArtifactError(error, 'FOLDER_INVALID'));
  });
});

describe('the default format is what Flux and a default Argo CD accept', () => {
  test('Flux untar rules hold for every entry: gzip, relative names, no "..", no backslash, only files and folders', async () => {
    const packed = await packFolder(folder(TREE));
    try {
      const raw = execFileSync('gzip', ['-dc', packed.path]);
      assert.ok(raw.length % 512 === 0);
      for (const e of await entries(packed.path)) {
        assert.ok(e.path !== '' && !e.path.startsWith('/') && !e.path.includes('\\') && !e.path.split('/').includes('..'), e.path);
        assert.ok(e.type === 'file' || e.type === 'directory', `${e.path} is ${e.type}`);
      }
    } finally {
      await packed.dispose();
    }
  });

  test("Argo CD rules hold: exactly one content layer, of an allowed media type; the config is not Helm's", () => {
    const allowed = [MediaType.OciLayerTar, MediaType.OciLayerTarGzip, MediaType.HelmChart];
    const config = configBlob('default', '2026-01-01T00:00:00Z');
    const layer = { mediaType: layerMediaType('default'), digest: digestOf(Buffer.from('x')), size: 1 };
    const manifest = JSON.parse(
      buildManifest(
        'default',
        { mediaType: config.mediaType, digest: digestOf(config.bytes), size: config.bytes.length },
        [layer],
        {},
      ).toString(),
    );
    const content = manifest.layers.filter((l: { mediaType: string }) => /(tar\+gzip|tar|tar\.gzip)$/.test(l.mediaType));
    assert.equal(content.length, 1);
    assert.ok(allowed.includes(content[0].mediaType));
    assert.notEqual(manifest.config.mediaType, MediaType.HelmConfig);
    assert.equal(manifest.artifactType, 'application/vnd.oci-gitops.manifests.v1');
  });

  test('the flux format matches flux push artifact: Flux config and content types, no artifactType', () => {
    const config = configBlob('flux', '2026-01-01T00:00:00Z');
    const manifest = JSON.parse(
      buildManifest(
        'flux',
        { mediaType: config.mediaType, digest: digestOf(config.bytes), size: config.bytes.length },
        [{ mediaType: layerMediaType('flux'), digest: digestOf(Buffer.from('x')), size: 1 }],
        {},
      ).toString(),
    );
    assert.equal(manifest.config.mediaType, MediaType.FluxConfig);
    assert.equal(manifest.layers[0].mediaType, MediaType.FluxContent);
    assert.equal(manifest.artifactType, undefined);
  });
});

describe('git source annotation', () => {
  test('credentials are stripped from the remote URL', () => {
    assert.equal(stripCredentials('https://user:token@github.com/org/repo.git'), 'https://github.com/org/repo.git');
    assert.equal(stripCredentials('git@github.com:org/repo.git'), 'git@github.com:org/repo.git');
  });
});
