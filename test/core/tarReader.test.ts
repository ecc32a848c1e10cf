import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { gunzipLimited } from '../../src/artifact/decompress';
import { reproducibleGzip } from '../../src/artifact/gzip';
import { writeTar } from '../../src/artifact/tar';
import { readTar, type TarReadEntry } from '../../src/artifact/tarReader';
import { isOciError } from '../../src/oci';
import { rawHeader } from '../support/hostileArtifacts';

async function entriesOf(tar: Buffer, limits?: Parameters<typeof readTar>[1]): Promise<TarReadEntry[]> {
  const out: TarReadEntry[] = [];
  for await (const entry of readTar(Readable.from([tar]), limits)) out.push(entry);
  return out;
}

/** Headers followed by the end-of-archive blocks. */
function rawTar(...headers: Buffer[]): Buffer {
  return Buffer.concat([...headers, Buffer.alloc(1024)]);
}

describe('reading tar archives', () => {
  test('what our writer packs reads back identically', async () => {
    const tar = writeTar([
      { type: 'directory', path: 'apps' },
      { type: 'file', path: 'apps/a.yaml', content: Buffer.from('a: 1\n') },
      { type: 'file', path: 'b.yaml', content: Buffer.alloc(1500, 'b') },
    ]);
    const entries = await entriesOf(tar);
    assert.deepEqual(
      entries.map((e) => [e.type, e.path]),
      [
        ['directory', 'apps'],
        ['file', 'apps/a.yaml'],
        ['file', 'b.yaml'],
      ],
    );
    assert.equal((entries[2] as { content: Buffer }).content.length, 1500);
  });

  test('GNU tar archives with long names, "./" prefixes and symlinks are read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tar-gnu-'));
    const deep = join('src', 'x'.repeat(60), 'y'.repeat(60));
    mkdirSync(join(dir, deep), { recursive: true });
    writeFileSync(join(dir, deep, 'file.yaml'), 'deep: true\n');
    symlinkSync('file.yaml', join(dir, deep, 'link.yaml'));
    const tar = execFileSync('tar', ['-C', dir, '--format=gnu', '-cf', '-', '.']);
    const entries = await entriesOf(tar);
    const file = entries.find((e) => e.path === `${deep}/file.yaml`);
    assert.equal(file?.type, 'file');
    assert.equal((file as { content: Buffer }).content.toString(), 'deep: true\n');
    assert.deepEqual(
      entries.find((e) => e.type === 'symlink'),
      { type: 'symlink', path: `${deep}/link.yaml`, target: 'file.yaml' },
    );
  });

  test('PAX archives read with their long path records', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tar-pax-'));
    const long = 'z'.repeat(120);
    writeFileSync(join(dir, long), 'pax\n');
    const entries = await entriesOf(execFileSync('tar', ['-C', dir, '--format=pax', '-cf', '-', long]));
    assert.equal(entries[0].path, long);
  });

  for (const [name, why] of [
    ['../escape.yaml', '".."'],
    ['/etc/passwd', 'absolute'],
    ['dir\\evil.yaml', 'backslash'],
    ['a/../../b', '".."'],
  ] as const) {
    test(`an entry named "${name}" is refused (${why})`, async () => {
      await assert.rejects(
        entriesOf(rawTar(rawHeader(name, '0', 0))),
        (error: unknown) => isOciError(error, 'PROTOCOL') && (error as Error).message.includes(name),
      );
    });
  }

  test('hard links and device files are refused, naming the entry', async () => {
    await assert.rejects(entriesOf(rawTar(rawHeader('hard', '1', 0, 'x'))), /"hard" is a hard link/);
    await assert.rejects(entriesOf(rawTar(rawHeader('dev', '3', 0))), /"dev" is a device/);
  });

  test('a truncated archive is an error, not a short listing', async () => {
    const tar = writeTar([{ type: 'file', path: 'a', content: Buffer.alloc(2000) }]);
    await assert.rejects(entriesOf(tar.subarray(0, 1000)), /truncated/);
  });

  test('a corrupt header fails its checksum', async () => {
    const tar = writeTar([{ type: 'file', path: 'a', content: Buffer.from('x') }]);
    tar[10] ^= 0xff;
    await assert.rejects(entriesOf(tar), /checksum/);
  });

  test('the entry-count and unpacked-size limits stop reading', async () => {
    const tar = writeTar(Array.from({ length: 20 }, (_, i) => ({ type: 'file' as const, path: `f${i}`, content: Buffer.alloc(100) })));
    await assert.rejects(entriesOf(tar, { maxEntries: 10, maxTotalBytes: 1e9 }), /more than 10 entries/);
    await assert.rejects(entriesOf(tar, { maxEntries: 100, maxTotalBytes: 1000 }), /more than 1000 bytes/);
  });
});

describe('gzip layers', () => {
  test('our gzip header is the same on every machine: mtime 0, OS unknown', () => {
    const out = reproducibleGzip(Buffer.from('hello'));
    assert.equal(out.readUInt32LE(4), 0);
    assert.equal(out[9], 255);
    assert.equal(execFileSync('gzip', ['-dc'], { input: out }).toString(), 'hello');
  });

  test('a gzip bomb is refused by its inflation ratio', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    await assert.rejects(async () => {
      for await (const chunk of gunzipLimited(Readable.from([bomb]))) void chunk;
    }, /gzip bomb/);
  });

  test('inflating past the size limit stops', async () => {
    const data = gzipSync(Buffer.from(readFileSync(__filename).toString().repeat(50)));
    await assert.rejects(async () => {
      for await (const chunk of gunzipLimited(Readable.from([data]), { maxOutputBytes: 1000, maxRatio: 1e9 })) void chunk;
    }, /more than 1000 bytes/);
  });

  test('the blob is read past the end of the gzip member, so a digest failure at its very end is not missed', async () => {
    // A swapped layer: a shorter gzip member, zero padding up to the expected size, and the verifying
    // stream's error only once the last byte has arrived, later than zlib ends its own output.
    const member = gzipSync(Buffer.alloc(4096, 1));
    async function* swapped() {
      yield Buffer.concat([member, Buffer.alloc(512)]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      yield Buffer.alloc(512);
      throw new Error('Integrity check failed for blob sha256:…');
    }
    await assert.rejects(async () => {
      for await (const chunk of gunzipLimited(Readable.from(swapped()))) void chunk;
    }, /Integrity check failed/);
  });

  test('something that is not gzip is a clear error', async () => {
    await assert.rejects(async () => {
      for await (const chunk of gunzipLimited(Readable.from([Buffer.from('not gzip at all')]))) void chunk;
    }, /not valid gzip/);
  });
});

describe('reading tar archives from an untrusted source', () => {
  test('the source is read to its end after the end-of-archive blocks, so a verifying source gets to check it', async () => {
    const tar = rawTar(rawHeader('app.yaml', '0', 0));
    let ended = false;
    async function* source() {
      yield tar;
      yield Buffer.alloc(4096, 0x41);
      ended = true;
    }
    const entries: TarReadEntry[] = [];
    for await (const entry of readTar(source())) entries.push(entry);
    assert.equal(entries.length, 1);
    assert.equal(ended, true, 'the bytes after the archive were read');
  });

  test('a source that fails after the archive ends fails the read (a digest mismatch found at the end)', async () => {
    async function* source() {
      yield rawTar(rawHeader('app.yaml', '0', 0));
      throw new Error('Integrity check failed');
    }
    await assert.rejects(async () => {
      for await (const entry of readTar(source())) void entry;
    }, /Integrity check failed/);
  });

  test('a PAX size that is not a decimal number is refused, not read as NaN', async () => {
    for (const size of ['abc', '0x10', '1e9', ' 12', '-1']) {
      const record = ` size=${size}\n`;
      let length = record.length + 2;
      if (`${length}${record}`.length !== length) length = `${length}${record}`.length;
      const pax = Buffer.from(`${length}${record}`);
      const header = rawHeader('pax', 'x', pax.length);
      const tar = Buffer.concat([header, pax, Buffer.alloc(512 - pax.length), rawHeader('a.yaml', '0', 0), Buffer.alloc(1024)]);
      await assert.rejects(entriesOf(tar), /not a number|corrupt PAX header/, size);
    }
  });
});
