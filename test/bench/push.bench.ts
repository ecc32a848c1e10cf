// `npm run bench`: pushing folders, against a floor measured in the same run on the same registry:
// one raw HTTP upload (POST + PUT) of the same compressed bytes with undici and nothing else.
import { createReadStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { packFolder } from '../../src/artifact/pack';
import { pushFolder } from '../../src/artifact/push';
import { fileSource, OciClient, parseReference } from '../../src/oci';
import { startRegistry, type RunningRegistry } from '../support/registry';

const fixed = { source: 'https://example.com/bench.git', revision: 'main@sha1:0000000000000000000000000000000000000000', created: '2026-01-01T00:00:00Z' };

function yamlFolder(count: number): string {
  const root = mkdtempSync(join(tmpdir(), 'bench-yaml-'));
  for (let i = 0; i < count; i++) {
    const dir = join(root, `team-${i % 20}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `deploy-${i}.yaml`), `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  labels:\n    team: team-${i % 20}\nspec:\n  replicas: ${1 + (i % 5)}\n  selector:\n    matchLabels:\n      app: app-${i}\n  template:\n    metadata:\n      labels:\n        app: app-${i}\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/app-${i}:1.${i % 10}.0\n          resources:\n            limits:\n              memory: ${128 + (i % 8) * 64}Mi\n`);
  }
  return root;
}

/** 200 files of 1 MiB: pseudo-random base64 text, which gzip shrinks by about a quarter. */
function bigFolder(megabytes: number): string {
  const root = mkdtempSync(join(tmpdir(), 'bench-big-'));
  let x = 12345;
  for (let f = 0; f < megabytes; f++) {
    const raw = Buffer.alloc(768 * 1024);
    for (let i = 0; i < raw.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      raw[i] = x & 0xff;
    }
    writeFileSync(join(root, `blob-${f}.txt`), raw.toString('base64'));
  }
  return root;
}

async function rawUpload(registry: RunningRegistry, repository: string, path: string, digest: string): Promise<number> {
  const started = performance.now();
  const post = await request(`${registry.url}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers: { 'content-length': '0' } });
  await post.body.dump();
  const location = new URL(String(post.headers.location), registry.url);
  location.searchParams.set('digest', digest);
  const put = await request(location, { method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'content-length': String(statSync(path).size) }, body: createReadStream(path) });
  await put.body.dump();
  if (put.statusCode !== 201) throw new Error(`raw upload failed: ${put.statusCode}`);
  return performance.now() - started;
}

async function measure<T>(work: () => Promise<T>): Promise<{ ms: number; peakRssGrowthMb: number; value: T }> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const started = performance.now();
  const value = await work();
  const ms = performance.now() - started;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, peakRssGrowthMb: (peak - base) / 1024 / 1024, value };
}

async function bench(name: string, folder: string, registry: RunningRegistry, client: OciClient): Promise<void> {
  const packed = await packFolder(folder);
  const floorMs = await rawUpload(registry, `floor/${name}`, packed.path, packed.digest);
  const upload = await measure(() => client.repository(`${registry.host}/upload/${name}`).pushBlob(fileSource(packed.path, packed.digest, packed.size)));
  await packed.dispose();
  const push = await measure(() => pushFolder(client, folder, parseReference(`${registry.host}/push/${name}:1.0.0`), fixed));
  console.log(`\n${name}: ${push.value.files} files, ${(packed.listing.totalBytes / 1048576).toFixed(1)} MiB on disk, ${(packed.size / 1048576).toFixed(1)} MiB compressed`);
  console.log(`  floor (raw POST+PUT of the compressed bytes):   ${floorMs.toFixed(0)} ms`);
  console.log(`  client upload of the same bytes:                ${upload.ms.toFixed(0)} ms  ratio ${(upload.ms / floorMs).toFixed(2)}x`);
  console.log(`  whole push (walk, tar, gzip, upload, tag):      ${push.ms.toFixed(0)} ms  ratio ${(push.ms / floorMs).toFixed(2)}x  peak RSS growth ${push.peakRssGrowthMb.toFixed(1)} MiB`);
}

async function main(): Promise<void> {
  const registry = await startRegistry({ auth: 'none' });
  const client = new OciClient();
  const folders: string[] = [];
  try {
    await client.registry(registry.host).ping();
    folders.push(yamlFolder(2000));
    await bench('yaml-2000', folders[0], registry, client);
    folders.push(bigFolder(200));
    await bench('big-200mb', folders[1], registry, client);
  } finally {
    await client.close();
    await registry.stop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
