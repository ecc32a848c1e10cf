import { execFile } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  bufferSource,
  digestOf,
  EMPTY_DESCRIPTOR,
  MediaType,
  type Descriptor,
  type ImageManifest,
  type OciClient,
  parseReference,
} from '../../src/oci';

/** One raw tar entry, written as given: hostile archives need names and sizes our writer refuses. */
export interface RawEntry {
  name: string;
  /** '0' file (default), '5' folder, '2' symlink, 'x' PAX header. */
  type?: string;
  content?: Buffer | string;
  /** The size written in the header, when it must differ from the content's. */
  headerSize?: number;
  link?: string;
}

export function rawHeader(name: string, type: string, size: number, link = ''): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100);
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  block.write(size.toString(8).padStart(11, '0') + '\0', 124);
  block.write('00000000000\0', 136);
  block.fill(0x20, 148, 156);
  block.write(type, 156);
  block.write(link, 157, 100);
  block.write('ustar\u000000', 257, 'binary');
  let sum = 0;
  for (const b of block) sum += b;
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'binary');
  return block;
}

/** A PAX extended header entry ('x') carrying `records` for the entry after it. */
export function paxEntry(records: Record<string, string>): RawEntry {
  const body = Object.entries(records)
    .map(([key, value]) => {
      const text = ` ${key}=${value}\n`;
      let length = text.length + 1;
      while (`${length}${text}`.length !== length) length = `${length}${text}`.length;
      return `${length}${text}`;
    })
    .join('');
  return { name: 'PaxHeaders/x', type: 'x', content: body };
}

/** A tar of the entries, ended by the two zero blocks, then `padding` zero bytes. */
export function rawTar(entries: RawEntry[], padding = 0): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const content = typeof entry.content === 'string' ? Buffer.from(entry.content) : (entry.content ?? Buffer.alloc(0));
    blocks.push(
      rawHeader(entry.name, entry.type ?? '0', entry.headerSize ?? content.length, entry.link),
      content,
      Buffer.alloc((512 - (content.length % 512)) % 512),
    );
  }
  blocks.push(Buffer.alloc(1024 + padding));
  return Buffer.concat(blocks);
}

export function gzip(data: Buffer): Buffer {
  return gzipSync(data, { level: 6 });
}

/** Pushes a one-layer artifact (gzip or plain tar layer) as the tools lay it out; returns digests. */
export async function pushLayerArtifact(
  client: OciClient,
  repository: string,
  tag: string,
  layerBytes: Buffer,
  mediaType: string = MediaType.OciLayerTarGzip,
  manifestPatch: Record<string, unknown> = {},
): Promise<{ manifest: Descriptor; layer: Descriptor; pinned: string }> {
  const repo = client.repository(parseReference(repository));
  await repo.pushBlob(bufferSource(Buffer.from('{}')));
  const layer: Descriptor = { mediaType, digest: digestOf(layerBytes), size: layerBytes.length };
  await repo.pushBlob(bufferSource(layerBytes));
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    artifactType: 'application/vnd.oci-gitops.manifests.v1',
    config: { ...EMPTY_DESCRIPTOR },
    layers: [layer],
    ...manifestPatch,
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const pushed = await repo.pushManifest(bytes, MediaType.OciManifest, tag);
  return { manifest: pushed, layer, pinned: `${repository}@${pushed.digest}` };
}

/** Where CNCF Distribution's filesystem driver keeps a blob's bytes. */
export function storedBlobPath(dataDir: string, digest: string): string {
  const hex = digest.slice('sha256:'.length);
  return join(dataDir, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
}

/** Replaces a blob's bytes in the registry's storage, as an attacker with storage access would. */
export function swapStoredBlob(dataDir: string, digest: string, bytes: Buffer): void {
  const path = storedBlobPath(dataDir, digest);
  if (!existsSync(path)) throw new Error(`no stored blob at ${path}`);
  writeFileSync(path, bytes);
}

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Killed for running past its time. */
  timedOut: boolean;
}

/** Runs the bundled CLI in its own process, as a user or CI does; a run past `timeoutMs` is killed. */
export function runBundledCli(
  args: string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {},
): Promise<CliRun> {
  if (!existsSync(CLI)) throw new Error(`the CLI bundle ${CLI} is missing: run "npm run build" first`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      {
        timeout: options.timeoutMs ?? 30_000,
        killSignal: 'SIGKILL',
        env: options.env ?? process.env,
        cwd: options.cwd,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const failure = error as (Error & { code?: number | string; killed?: boolean }) | null;
        resolve({
          code: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0,
          stdout,
          stderr,
          ms: Date.now() - started,
          timedOut: !!failure?.killed,
        });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}

/** Anything a pull left beside or in `folder`: the folder itself and staging siblings. */
export function leftovers(folder: string): string[] {
  const parent = dirname(folder);
  if (!existsSync(parent)) return [];
  return readdirSync(parent).filter((name) => name === basename(folder) || name.startsWith(`.${basename(folder)}.`));
}
