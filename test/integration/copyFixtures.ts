import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { promisify } from 'node:util';
import { listAttached } from '../../src/artifact/attached';
import { runCli } from '../../src/cli/run';
import { bufferSource, digestOf, MediaType, type Descriptor, type RepositoryApi } from '../../src/oci';
import { FaultProxy, type ProxyAction } from '../support/faultProxy';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { patternBytes } from './fixtures';

const run = promisify(execFile);

/** The CLI as shipped (esbuild's dist/cli.js, built by `npm run package` before the tests). */
export async function bundledCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const bundle = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run "npm run package" (npm test does) before this test`);
  try {
    const { stdout, stderr } = await run(process.execPath, [bundle, ...args], {
      env: { PATH: process.env.PATH, ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** The CLI in-process with `stdin` as its standard input (for --…-password-stdin). */
export async function cliWithStdin(
  args: string[],
  stdin: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await runCli(args, { stdout, stderr, stdin: Readable.from([Buffer.from(stdin)]), env });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

/** A Docker config.json holding a login per host, as `docker login` writes it. */
export function writeDockerConfig(path: string, logins: Record<string, { username: string; password: string }>): string {
  const auths = Object.fromEntries(
    Object.entries(logins).map(([host, u]) => [host, { auth: Buffer.from(`${u.username}:${u.password}`).toString('base64') }]),
  );
  writeFileSync(path, JSON.stringify({ auths }));
  return path;
}

async function pushImage(
  repo: RepositoryApi,
  config: object,
  layers: { mediaType: string; bytes: Buffer }[],
  configMediaType: string = MediaType.OciImageConfig,
): Promise<Descriptor> {
  const configBytes = Buffer.from(JSON.stringify(config));
  await repo.pushBlob(bufferSource(configBytes));
  for (const layer of layers) await repo.pushBlob(bufferSource(layer.bytes));
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config: { mediaType: configMediaType, digest: digestOf(configBytes), size: configBytes.length },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: digestOf(l.bytes), size: l.bytes.length })),
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  return repo.pushManifest(bytes, MediaType.OciManifest, digestOf(bytes));
}

/**
 * A multi-platform index as `docker buildx` writes one, with a nested index: linux/amd64 and
 * linux/arm64 images, and an index of linux/s390x. Every layer differs, so every blob counts.
 */
export async function pushMultiPlatformIndex(repo: RepositoryApi, tag: string): Promise<{ index: Descriptor; children: Descriptor[] }> {
  const image = (architecture: string, seed: number) =>
    pushImage(repo, { architecture, os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }, [
      { mediaType: MediaType.OciLayerTarGzip, bytes: patternBytes(4096 + seed, seed) },
    ]);
  const amd64 = await image('amd64', 11);
  const arm64 = await image('arm64', 12);
  const s390x = await image('s390x', 13);
  const nestedBytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.OciIndex,
      manifests: [{ ...s390x, platform: { architecture: 's390x', os: 'linux' } }],
    }),
  );
  const nested = await repo.pushManifest(nestedBytes, MediaType.OciIndex, digestOf(nestedBytes));
  const rootBytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.OciIndex,
      manifests: [
        { mediaType: amd64.mediaType, digest: amd64.digest, size: amd64.size, platform: { architecture: 'amd64', os: 'linux' } },
        { mediaType: arm64.mediaType, digest: arm64.digest, size: arm64.size, platform: { architecture: 'arm64', os: 'linux' } },
        { mediaType: nested.mediaType, digest: nested.digest, size: nested.size },
      ],
    }),
  );
  const index = await repo.pushManifest(rootBytes, MediaType.OciIndex, tag);
  return { index, children: [amd64, arm64, nested, s390x] };
}

/**
 * An SBOM under cosign's `sha256-<hex>.sbom` tag, as `cosign attach sbom --type spdxjson` writes
 * it (cmd/cosign/cli/attach/sbom.go: one `text/spdx+json` layer on an empty image).
 */
export async function attachCosignSbom(repo: RepositoryApi, subject: Descriptor, document: object): Promise<Descriptor> {
  const bytes = Buffer.from(JSON.stringify(document));
  const tag = `sha256-${subject.digest.slice('sha256:'.length)}.sbom`;
  const pushed = await pushImage(repo, { architecture: '', os: '', config: {}, rootfs: { type: 'layers', diff_ids: [digestOf(bytes)] } }, [
    { mediaType: 'text/spdx+json', bytes },
  ]);
  const { bytes: manifest } = await repo.fetchManifest(pushed.digest);
  return repo.pushManifest(manifest, MediaType.OciManifest, tag);
}

/**
 * What a client discovers attached to `digest`, at every depth: one line per referrer or cosign
 * tag, with its digest and artifact type, sorted. Two repositories that list the same lines show
 * the same signatures, SBOMs and attestations.
 */
export async function attachedTree(repo: RepositoryApi, digest: string, path = ''): Promise<string[]> {
  if (path.split(' > ').length > 6) return [];
  const lines: string[] = [];
  for (const a of await listAttached(repo, digest)) {
    const what = `${path}${a.via === 'cosign-tag' ? `tag ${a.tag!.replace(/^sha256-[0-9a-f]{64}/, 'sha256-<subject>')}` : `referrer ${a.descriptor.artifactType ?? '-'}`} ${a.descriptor.digest}`;
    lines.push(what, ...(await attachedTree(repo, a.descriptor.digest, `${what} > `)));
  }
  return lines.sort();
}

/**
 * Staging and production: two real registries with different htpasswd logins, each behind a proxy
 * that records the Authorization header of every request (to prove each only ever gets its own
 * login). Production's proxy asks `productionFault` what to do with each request (pass by default).
 */
export interface RecordedRegistries {
  staging: RunningRegistry;
  production: RunningRegistry;
  stagingProxy: FaultProxy;
  productionProxy: FaultProxy;
  /** Production's login (staging's is staging.admin). */
  promoter: { username: string; password: string };
  seen: { staging: string[]; production: string[] };
  stop(): Promise<void>;
}

export async function startRecordedRegistries(
  productionFault: (method: string, url: string) => ProxyAction = () => 'pass',
): Promise<RecordedRegistries> {
  const promoter = { username: 'promoter', password: 'prod-pass' };
  const seen = { staging: [] as string[], production: [] as string[] };
  const [staging, production] = await Promise.all([
    startRegistry({ auth: 'htpasswd' }),
    startRegistry({ auth: 'htpasswd', users: { admin: promoter } }),
  ]);
  const stagingProxy = await new FaultProxy(staging.host, (req) => {
    if (req.headers.authorization) seen.staging.push(req.headers.authorization);
    return 'pass';
  }).start();
  const productionProxy = await new FaultProxy(production.host, (req) => {
    if (req.headers.authorization) seen.production.push(req.headers.authorization);
    return productionFault(req.method ?? '', req.url ?? '');
  }).start();
  const stop = async () => {
    await stagingProxy.stop().catch(() => undefined);
    await productionProxy.stop().catch(() => undefined);
    await Promise.all([staging.stop(), production.stop()]);
  };
  return { staging, production, stagingProxy, productionProxy, promoter, seen, stop };
}
